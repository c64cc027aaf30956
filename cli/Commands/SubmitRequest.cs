using System.CommandLine;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Scans;
using CatWrangler.Webhooks;
using Spectre.Console;

namespace CatWrangler.Cli.Commands;

/// <param name="InlineMaxBytes">Larger files use the two-step upload; a 413 on an inline upload switches too.</param>
public sealed record SubmitRequest(IReadOnlyList<string> Files, string? CallbackUrl, bool Wait, TimeSpan WaitTimeout, long InlineMaxBytes = ScanApiOptions.AwsInlineMaxBytes);
