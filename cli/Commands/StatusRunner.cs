using System.CommandLine;
using System.Text.Json;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Json;

namespace CatWrangler.Cli.Commands;

/// <summary>The work of <c>catscan status</c>, separate from the console so tests can drive it.</summary>
public sealed class StatusRunner(ScanApiClient api, TextWriter output, TextWriter errors)
{
    public async Task<int> RunAsync(string id, bool json, bool debug, CancellationToken cancellationToken)
    {
        var result = await api.GetAsync(id, debug, cancellationToken);
        if (result.Error is { } error)
        {
            var (code, message) = ExitCodes.For(error);
            await errors.WriteLineAsync("catscan status: " + message);
            return code;
        }

        var scan = result.Value!;
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(scan, CatWranglerJson.Options));
            return ExitCodes.Ok;
        }

        await output.WriteLineAsync($"{scan.Id}: {SubmitRunner.Describe(scan).Replace($" scan {scan.Id}", "", StringComparison.Ordinal)}");
        if (scan.Reference is not null)
        {
            await output.WriteLineAsync($"  reference: {scan.Reference}");
        }

        if (scan.Image is { } image)
        {
            await output.WriteLineAsync($"  image: {image.ContentType} {image.Width}x{image.Height}, {image.Bytes} bytes");
        }

        await output.WriteLineAsync($"  received: {scan.ReceivedAt:u}" + (scan.CompletedAt is { } done ? $", completed: {done:u}" : ""));
        if (scan.Verdict is { Boxes.Count: > 0 } verdict)
        {
            await output.WriteLineAsync($"  cats: {verdict.Boxes.Count} ({verdict.DetectorId} {verdict.ModelVersion})");
        }

        return scan.Status == Core.Scans.ScanStatus.Failed ? ExitCodes.Rejected : ExitCodes.Ok;
    }
}
