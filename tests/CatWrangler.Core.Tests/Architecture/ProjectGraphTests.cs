using System.Text.RegularExpressions;
using CatWrangler.TestSupport;

namespace CatWrangler.Core.Tests.Architecture;

/// <summary>
/// The rules of docs/architecture.md, read from the product .csproj files themselves:
/// hosts → (host defaults, platform, their adapters, Slack library) → Core.
/// </summary>
public sealed partial class ProjectGraphTests
{
    /// <summary>Native or heavy packages only a classifying host may carry.</summary>
    private static readonly string[] DetectorPackages = ["Microsoft.ML.OnnxRuntime", "SkiaSharp", "SkiaSharp.NativeAssets.Linux.NoDependencies"];

    private static IReadOnlyDictionary<string, ProductProject> Projects => ProductProject.All;

    [Fact]
    public void The_product_projects_are_the_ones_the_architecture_names()
    {
        Assert.Equal(
            [
                "CatWrangler.Adapters.Aws", "CatWrangler.Adapters.Http", "CatWrangler.Adapters.Local", "CatWrangler.Bot", "CatWrangler.Core",
                "CatWrangler.Detection.Onnx", "CatWrangler.ModelSupply", "CatWrangler.Platform", "CatWrangler.Processor", "CatWrangler.ServiceDefaults",
                "CatWrangler.Slack", "CatWrangler.Webhooks", "catscan",
            ],
            Projects.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["CatWrangler.Bot", "CatWrangler.Processor", "CatWrangler.Webhooks", "catscan"],
            Projects.Values.Where(p => p.IsExecutable).Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("CatWrangler.Bot")]
    [InlineData("CatWrangler.Webhooks")]
    [InlineData("CatWrangler.Processor")]
    public void A_service_host_reaches_no_other_executable(string host)
    {
        var executables = Projects[host].WithReachable().Skip(1).Where(p => p.IsExecutable).Select(p => p.Name);

        Assert.Empty(executables);
    }

    [Fact]
    public void Only_the_cli_composes_the_service_hosts_and_nothing_references_the_cli()
    {
        // catscan serve is the three hosts in one process, so it takes their modules; nothing else may.
        var referencingHosts = Projects.Values
            .SelectMany(p => p.ProjectReferences.Where(r => Projects[r].IsExecutable).Select(r => $"{p.Name} -> {r}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["catscan -> CatWrangler.Bot", "catscan -> CatWrangler.Processor", "catscan -> CatWrangler.Webhooks"], referencingHosts);
    }

    [Theory]
    [InlineData("CatWrangler.Bot")]
    [InlineData("CatWrangler.Webhooks")]
    public void Bot_and_webhooks_reach_no_detector_no_model_supply_and_no_onnx_runtime(string host)
    {
        var reached = Projects[host].WithReachable().ToList();

        Assert.DoesNotContain(reached, p => p.Name is "CatWrangler.Detection.Onnx" or "CatWrangler.ModelSupply");
        Assert.DoesNotContain(reached.SelectMany(p => p.PackageReferences), package => package.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));
    }

    /// <summary>Turns on when the pure-code Core (branch corepure) is merged: then SkiaSharp leaves Core and so every non-classifying host.</summary>
    [Theory]
    [InlineData("CatWrangler.Bot")]
    [InlineData("CatWrangler.Webhooks")]
    public void Bot_and_webhooks_reach_no_skia(string host)
    {
        var packages = Projects[host].WithReachable().SelectMany(p => p.PackageReferences);

        Assert.DoesNotContain(packages, DetectorPackages.Contains);
    }

    /// <summary>Turns on when the pure-code Core (branch corepure) is merged.</summary>
    [Fact]
    public void Core_depends_on_nothing_native_and_no_web_framework()
    {
        var core = Projects["CatWrangler.Core"];

        Assert.Empty(core.ProjectReferences);
        Assert.DoesNotContain(core.PackageReferences, DetectorPackages.Contains);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", core.FrameworkReferences);
    }

    [Fact]
    public void Host_defaults_reference_only_core()
    {
        var defaults = Projects["CatWrangler.ServiceDefaults"];

        Assert.Equal(["CatWrangler.Core"], defaults.ProjectReferences);
        Assert.Empty(defaults.PackageReferences);
    }

    [Fact]
    public void The_runtime_detector_carries_no_converter_and_no_host_but_the_cli_carries_model_supply()
    {
        Assert.DoesNotContain("CatWrangler.ModelSupply", Projects["CatWrangler.Detection.Onnx"].WithReachable().Select(p => p.Name));
        Assert.DoesNotContain(Projects["CatWrangler.Detection.Onnx"].PackageReferences, p => p is "OnnxSharp" or "Google.Protobuf");
        var supplied = Projects.Values.Where(p => p.ProjectReferences.Contains("CatWrangler.ModelSupply")).Select(p => p.Name);
        Assert.Equal(["catscan"], supplied);
    }

    [Fact]
    public void Platform_adapters_are_chosen_in_one_project()
    {
        // Every host takes the platform project; nothing but it (and the processor's detector choice, which needs
        // Rekognition) references an adapter of one platform directly.
        var direct = Projects.Values
            .SelectMany(p => p.ProjectReferences.Where(r => r is "CatWrangler.Adapters.Local" or "CatWrangler.Adapters.Aws").Select(r => $"{p.Name} -> {r}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(["CatWrangler.Platform -> CatWrangler.Adapters.Aws", "CatWrangler.Platform -> CatWrangler.Adapters.Local"], direct);
    }

    [Fact]
    public void Every_project_in_the_repository_is_in_the_solution()
    {
        var solution = File.ReadAllText(Path.Combine(RepoPaths.Root, "CatWrangler.sln"));
        var listed = SolutionProject().Matches(solution).Select(m => m.Groups["path"].Value.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        var onDisk = new[] { "lib", "bot", "webhooks", "processor", "cli", "tests", "benchmarks" }
            .Select(folder => Path.Combine(RepoPaths.Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'));

        Assert.All(onDisk, path => Assert.Contains(path, listed));
    }

    [GeneratedRegex(@"Project\(""\{[^}]+\}""\) = ""[^""]+"", ""(?<path>[^""]+\.csproj)""")]
    private static partial Regex SolutionProject();
}
