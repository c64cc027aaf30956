using System.Text.Json.Serialization;
using CatWrangler.Bot.Events;

namespace CatWrangler.Bot;

/// <summary>Source-generated metadata for what the bot's endpoints write through the HTTP JSON options (the host is Native AOT: no reflection).</summary>
[JsonSerializable(typeof(UrlVerificationAnswer))]
internal sealed partial class BotJsonContext : JsonSerializerContext;
