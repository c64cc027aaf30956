using System.IO.Compression;
using CatWrangler.Aws.Tests.Terraform;
using CatWrangler.TestSupport;
using Xunit;

namespace CatWrangler.Aws.Tests.Packaging;

/// <summary>
/// tools/check-glibc.sh (the guard that keeps binaries loadable on Amazon Linux 2023) and, when tools/package.sh has
/// run, the zips it wrote.
/// </summary>
[Trait("Category", "Terraform")]
public sealed class PackagingTests : IDisposable
{
    private static readonly string CheckScript = Path.Combine(RepoPaths.Root, "tools", "check-glibc.sh");
    private static readonly string LambdaDirectory = Path.Combine(RepoPaths.Root, "artifacts", "lambda");

    /// <summary>Hosts whose project publishes as Native AOT: tools/package.sh follows each project's PublishAot, and so does this check.</summary>
    private static readonly HashSet<string> NativeAotHosts =
    [
        .. new[] { ("bot", "bot/CatWrangler.Bot/CatWrangler.Bot.csproj"), ("webhooks", "webhooks/CatWrangler.Webhooks/CatWrangler.Webhooks.csproj") }
            .Where(h => File.ReadAllText(Path.Combine(RepoPaths.Root, h.Item2)).Contains("<PublishAot>true</PublishAot>", StringComparison.Ordinal))
            .Select(h => h.Item1),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("catwrangler-pkg-").FullName;

    [Fact]
    public async Task Glibc_check_rejects_a_binary_that_needs_a_newer_glibc()
    {
        // arc4random arrived in glibc 2.36, so a program calling it cannot load on Amazon Linux 2023.
        var binary = await CompileAsync("#include <stdlib.h>\n#include <stdio.h>\nint main(void) { printf(\"%u\\n\", arc4random()); return 0; }\n");

        var result = await RunCheckAsync(binary);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"TOO-NEW\s+GLIBC 2\.(3[5-9]|[4-9]\d)", result.StandardOutput);
        Assert.Contains("FAILED", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glibc_check_accepts_a_binary_within_amazon_linux_2023()
    {
        var binary = await CompileAsync("#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n");

        var result = await RunCheckAsync(binary);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("1 ELF files", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("libc.so.6", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glibc_check_fails_when_there_is_nothing_to_check()
    {
        File.WriteAllText(Path.Combine(_directory, "readme.txt"), "not an ELF file");

        var result = await RunCheckAsync(_directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no ELF files", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bot", "CatWrangler.Bot")]
    [InlineData("webhooks", "CatWrangler.Webhooks")]
    [InlineData("processor", "CatWrangler.Processor")]
    public async Task Packaged_zip_has_an_executable_bootstrap_and_loads_on_amazon_linux_2023(string host, string assembly)
    {
        var zipPath = Path.Combine(LambdaDirectory, host + ".zip");
        if (!File.Exists(zipPath))
        {
            Assert.Skip($"{zipPath} not built: run tools/package.sh to check the packages.");
        }

        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var bootstrap = zip.GetEntry("bootstrap");
            Assert.NotNull(bootstrap);
            Assert.True(IsExecutable(bootstrap), "bootstrap must be executable (unix mode in the zip)");
            using (var reader = new StreamReader(bootstrap.Open()))
            {
                var script = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
                Assert.StartsWith("#!/bin/sh", script, StringComparison.Ordinal);
                Assert.Contains($"exec ./{assembly} ", script, StringComparison.Ordinal);
            }

            var executable = zip.GetEntry(assembly);
            Assert.NotNull(executable);
            Assert.True(IsExecutable(executable), $"{assembly} must be executable");
            if (NativeAotHosts.Contains(host))
            {
                // One native binary: no runtime to load, no IL to JIT at a cold start.
                Assert.Null(zip.GetEntry("libcoreclr.so"));
                Assert.DoesNotContain(zip.Entries, e => e.Name.EndsWith(".dll", StringComparison.Ordinal));
            }
            else
            {
                Assert.NotNull(zip.GetEntry("libcoreclr.so"));
            }

            // Only the processor classifies. Its zip holds the provisioner's cache as it checks it (model + manifest), or the
            // marker of a deliberate Rekognition-only package; the other hosts carry no model.
            var models = zip.Entries.Where(e => e.FullName.StartsWith("models/", StringComparison.Ordinal) && e.Name.Length > 0).ToList();
            var onnx = models.SingleOrDefault(e => e.Name.EndsWith(".onnx", StringComparison.Ordinal));
            // Model supply (npm pack, the converter) runs before packaging, never in a Lambda.
            Assert.Null(zip.GetEntry("CatWrangler.ModelSupply.dll"));
            Assert.Null(zip.GetEntry("OnnxSharp.dll"));
            if (host != "processor")
            {
                Assert.Empty(models);
                // Only the processor decodes and classifies: the front doors carry neither native library, under any name.
                Assert.DoesNotContain(zip.Entries, e => e.Name.StartsWith("libonnxruntime", StringComparison.Ordinal));
                Assert.DoesNotContain(zip.Entries, e => e.Name.StartsWith("libSkiaSharp", StringComparison.Ordinal));
                Assert.Null(zip.GetEntry("libonnxruntime.so"));
                Assert.Null(zip.GetEntry("Microsoft.ML.OnnxRuntime.dll"));
                Assert.Null(zip.GetEntry("CatWrangler.Detection.Onnx.dll"));
            }
            else if (onnx is not null)
            {
                Assert.True(onnx.Length > 1_000_000, $"{onnx.FullName} is only {onnx.Length} bytes");
                Assert.Contains(models, e => e.Name == Path.GetFileNameWithoutExtension(onnx.Name) + ".manifest.json");
            }
            else
            {
                Assert.True(zip.GetEntry("models/NO-MODEL.txt") is not null, "no model under models/ (package.sh --no-model writes models/NO-MODEL.txt instead)");
            }

            if (!NativeAotHosts.Contains(host))
            {
                // A Native AOT binary has no runtimeconfig: the bot's project sets InvariantGlobalization itself.
                var runtimeConfig = zip.GetEntry($"{assembly}.runtimeconfig.json");
                Assert.NotNull(runtimeConfig);
                using var config = new StreamReader(runtimeConfig.Open());
                Assert.Contains("\"System.Globalization.Invariant\": true", await config.ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            // Only native code can carry glibc symbol versions: skip the managed assemblies (most of the 170 MB).
            foreach (var entry in zip.Entries.Where(e => e.Name.Length > 0 && (!e.Name.Contains('.') || e.Name.EndsWith(".so", StringComparison.Ordinal) || e.Name.Contains(".so.", StringComparison.Ordinal))))
            {
                var target = Path.Combine(_directory, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
            }
        }

        var result = await RunCheckAsync(_directory);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    private static bool IsExecutable(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & 0b001_000_000) != 0;

    private async Task<string> CompileAsync(string source)
    {
        var gcc = ProcessRunner.FindOnPath("gcc") ?? ProcessRunner.FindOnPath("cc");
        if (gcc is null)
        {
            Assert.Skip("no C compiler on PATH to build the probe binary.");
        }

        var sourcePath = Path.Combine(_directory, "probe.c");
        var binary = Path.Combine(_directory, "probe");
        File.WriteAllText(sourcePath, source);
        var result = await ProcessRunner.RunAsync(gcc!, ["-o", binary, sourcePath], _directory, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        if (result.ExitCode != 0)
        {
            // An older host glibc has no arc4random: the probe cannot be built here.
            Assert.Skip("probe did not compile on this host: " + result.StandardError);
        }

        return binary;
    }

    private static Task<ProcessRunner.Result> RunCheckAsync(string path)
        => ProcessRunner.RunAsync("bash", [CheckScript, path], RepoPaths.Root, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
