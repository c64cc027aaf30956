using System.Diagnostics;
using System.Security.Cryptography;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Emulators;

/// <summary>Pinned npm tools of the tests: <c>npm ci</c> from a copied lock file into <c>artifacts/{name}</c>, once per lock file.</summary>
public static class NpmInstall
{
    /// <param name="source">Folder in the test output holding <paramref name="files"/> (package.json, package-lock.json, scripts).</param>
    /// <returns>The install folder.</returns>
    public static async Task<string> InstallAsync(string source, string name, params string[] files)
    {
        var home = Path.Combine(RepoPaths.Root, "artifacts", name);
        Directory.CreateDirectory(home);

        // Another test process may be installing at the same time: hold a lock file while checking and installing.
        await using var lockFile = await AcquireLockAsync(Path.Combine(home, ".install.lock"));
        foreach (var file in files)
        {
            File.Copy(Path.Combine(source, file), Path.Combine(home, file), overwrite: true);
        }

        var stamp = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(home, "package-lock.json"))));
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

    /// <summary>Runs a program to completion, feeding <paramref name="input"/> (when given) on stdin.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string directory, string? input, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
        };
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
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
