using System.Text.Json.Nodes;
using CatWrangler.TestSupport;

namespace CatWrangler.Aws.Tests.Terraform;

/// <summary>An npm package pinned to one version and installed into <c>artifacts/&lt;folder&gt;</c> once (kept between runs).</summary>
public sealed class NpmTool(string package, string version, string folder)
{
    private readonly SemaphoreSlim _installLock = new(1, 1);

    public string Package { get; } = package;

    public string Version { get; } = version;

    public string InstallDirectory { get; } = Path.Combine(RepoPaths.Root, "artifacts", folder);

    public string PackageDirectory => Path.Combine([InstallDirectory, "node_modules", .. Package.Split('/')]);

    public async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await _installLock.WaitAsync(cancellationToken);
        try
        {
            if (IsInstalled())
            {
                return;
            }

            Directory.CreateDirectory(InstallDirectory);
            // --legacy-peer-deps: the tests read the packages' files; peers (cdktf, constructs) are never loaded.
            var result = await ProcessRunner.RunAsync(
                "npm",
                ["install", "--prefix", InstallDirectory, "--no-audit", "--no-fund", "--loglevel=error", "--legacy-peer-deps", $"{Package}@{Version}"],
                RepoPaths.Root,
                TimeSpan.FromMinutes(8),
                cancellationToken);
            if (result.ExitCode != 0 || !IsInstalled())
            {
                throw new InvalidOperationException($"npm install {Package}@{Version} failed (exit {result.ExitCode}): {result.StandardError}");
            }
        }
        finally
        {
            _installLock.Release();
        }
    }

    private bool IsInstalled()
    {
        var manifest = Path.Combine(PackageDirectory, "package.json");
        return File.Exists(manifest)
            && JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>() == Version;
    }
}
