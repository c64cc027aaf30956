using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Ports;

/// <summary>Exactly one of <see cref="ClientId"/> and <see cref="SlackChannelId"/> is set.</summary>
public sealed record ScanListQuery(string? ClientId = null, string? SlackChannelId = null, int Limit = 20);
