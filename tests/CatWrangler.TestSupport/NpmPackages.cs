using System.Diagnostics;
using System.Security.Cryptography;

namespace CatWrangler.TestSupport;

/// <summary>
/// Pinned npm packages for tests: <c>npm ci</c> of a checked-in <c>package.json</c> + <c>package-lock.json</c> into
/// <c>artifacts/&lt;name&gt;</c>, once per lock file (a stamp records which), safe against concurrent test processes.
/// </summary>
public static class NpmPackages
{
    /// <summary>Copies <paramref name="files"/> from <paramref name="sourceDirectory"/> and installs; returns the install folder.</summary>
    public static async Task<string> InstallAsync(string sourceDirectory, string name, IEnumerable<string> files)
    {
        var home = Path.Combine(RepoPaths.Root, "artifacts", name);
        Directory.CreateDirectory(home);
        await using var lockFile = await AcquireLockAsync(Path.Combine(home, ".install.lock"));
        foreach (var file in files.Append("package.json").Append("package-lock.json").Distinct())
        {
            File.Copy(Path.Combine(sourceDirectory, file), Path.Combine(home, file), overwrite: true);
        }

        var stamp = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(home, "package-lock.json"))));
        var stampFile = Path.Combine(home, "node_modules", ".catwrangler-stamp");
        if (File.Exists(stampFile) && await File.ReadAllTextAsync(stampFile) == stamp)
        {
            return home;
        }

        var (code, stdout, stderr) = await RunAsync(home, null, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        if (code != 0)
        {
            throw new InvalidOperationException($"npm ci for {name} failed ({code}) in {home}:\n{stdout}{stderr}");
        }

        await File.WriteAllTextAsync(stampFile, stamp);
        return home;
    }

    /// <summary>Runs a program to its end, <paramref name="input"/> (when given) on stdin.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string directory, string? input, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        var stream = await Eventually.ValueAsync(
            () => Task.FromResult(TryLock(path)), locked => locked is not null, TimeSpan.FromMinutes(3), $"another test process holds {path}");
        return stream!;
    }

    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
