using System.Diagnostics;
using System.Text.Json.Nodes;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>
/// Installs the pinned <c>@cdktf/hcl2json</c> into <c>artifacts/hcl2json</c> once (kept between runs) and parses
/// <c>.tf</c> files through the committed <c>hcl2json.mjs</c>.
/// </summary>
public static class Hcl2Json
{
    public const string Package = "@cdktf/hcl2json";
    public const string Version = "0.21.0";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string InstallDirectory { get; } = Path.Combine(RepoPaths.Root, "artifacts", "hcl2json");

    public static string Script { get; } = Path.Combine(RepoPaths.Root, "tests", "CatWrangler.Aws.Tests", "Terraform", "hcl2json.mjs");

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (IsInstalled())
            {
                return;
            }

            Directory.CreateDirectory(InstallDirectory);
            var result = await ProcessRunner.RunAsync(
                "npm",
                ["install", "--prefix", InstallDirectory, "--no-audit", "--no-fund", "--loglevel=error", $"{Package}@{Version}"],
                RepoPaths.Root,
                TimeSpan.FromMinutes(5),
                cancellationToken);
            if (result.ExitCode != 0 || !IsInstalled())
            {
                throw new InvalidOperationException($"npm install {Package}@{Version} failed (exit {result.ExitCode}): {result.StandardError}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Parses the files (or every <c>.tf</c> in the folders) given; the result maps file name to its JSON.</summary>
    public static async Task<ParseResult> ParseAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        var result = await ProcessRunner.RunAsync(
            "node",
            [Script, InstallDirectory, .. paths],
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

    private static bool IsInstalled()
    {
        var manifest = Path.Combine(InstallDirectory, "node_modules", "@cdktf", "hcl2json", "package.json");
        return File.Exists(manifest)
            && JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>() == Version;
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
