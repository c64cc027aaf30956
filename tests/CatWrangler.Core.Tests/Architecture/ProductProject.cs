using System.Xml.Linq;
using CatWrangler.TestSupport;

namespace CatWrangler.Core.Tests.Architecture;

/// <summary>One product .csproj as MSBuild declares it: its name, whether it is an executable, and what it references.</summary>
internal sealed record ProductProject(
    string Name,
    string RelativePath,
    bool IsExecutable,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences)
{
    /// <summary>Where product code lives; tests and benchmarks may reference anything.</summary>
    private static readonly string[] ProductFolders = ["lib", "bot", "webhooks", "processor", "cli"];

    public static IReadOnlyDictionary<string, ProductProject> All { get; } = Load();

    /// <summary>This project and every project it reaches through project references.</summary>
    public IEnumerable<ProductProject> WithReachable()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ProductProject>([this]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project.Name))
            {
                continue;
            }

            yield return project;
            foreach (var reference in project.ProjectReferences)
            {
                pending.Push(All[reference]);
            }
        }
    }

    private static Dictionary<string, ProductProject> Load()
    {
        var files = ProductFolders
            .Select(folder => Path.Combine(RepoPaths.Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return files.Select(Parse).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    private static ProductProject Parse(string path)
    {
        var xml = XDocument.Load(path);
        var folder = Path.GetDirectoryName(path)!;
        var items = xml.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference" or "FrameworkReference").ToList();
        string[] Includes(string kind) => [.. items.Where(e => e.Name.LocalName == kind).Select(e => (string)e.Attribute("Include")!)];
        var web = ((string?)xml.Root!.Attribute("Sdk"))?.EndsWith(".Web", StringComparison.Ordinal) == true;
        var outputType = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "OutputType")?.Value;
        return new ProductProject(
            Path.GetFileNameWithoutExtension(path),
            Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'),
            string.Equals(outputType, "Exe", StringComparison.OrdinalIgnoreCase) || (web && outputType is null),
            [.. Includes("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(Path.GetFullPath(Path.Combine(folder, r.Replace('\\', '/')))))],
            Includes("PackageReference"),
            web ? [.. Includes("FrameworkReference"), "Microsoft.AspNetCore.App"] : Includes("FrameworkReference"));
    }
}
