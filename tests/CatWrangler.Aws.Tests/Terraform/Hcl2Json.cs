using System.Diagnostics;
using System.Text.Json.Nodes;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// Parses <c>.tf</c> files through the committed <c>hcl2json.mjs</c> with the pinned <c>@cdktf/hcl2json</c>
/// (installed into <c>artifacts/hcl2json</c> once, kept between runs).
/// </summary>
public static class Hcl2Json
{
    public static NpmTool Tool { get; } = new("@cdktf/hcl2json", "0.21.0", "hcl2json");

    public static string Script { get; } = Path.Combine(RepoPaths.Root, "tests", "CatWrangler.Aws.Tests", "Terraform", "hcl2json.mjs");

    /// <summary>Parses the files (or every <c>.tf</c> in the folders) given; the result maps file name to its JSON.</summary>
    public static async Task<ParseResult> ParseAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        await Tool.EnsureInstalledAsync(cancellationToken);
        var result = await ProcessRunner.RunAsync(
            "node",
            [Script, Tool.InstallDirectory, .. paths],
            RepoPaths.Root,
            TimeSpan.FromMinutes(2),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            return new ParseResult(null, result.StandardError.Trim());
        }

        var files = JsonNode.Parse(result.StandardOutput)!["files"]!.AsObject();
        return new ParseResult(files.ToDictionary(f => f.Key, f => f.Value!.AsObject()), null);
    }
}

/// <summary>Either the parsed files or the parser's error text (file, line and column of each problem).</summary>
public sealed record ParseResult(IReadOnlyDictionary<string, JsonObject>? Files, string? Error);

/// <summary>Runs a tool to completion with a time limit and captures its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
