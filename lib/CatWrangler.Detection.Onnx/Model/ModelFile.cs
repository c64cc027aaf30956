using System.Security.Cryptography;
using System.Text.Json;

namespace CatWrangler.Detection.Onnx.Model;

/// <summary>
/// The converted model in a model directory: <c>&lt;version&gt;.onnx</c> plus <c>&lt;version&gt;.manifest.json</c>. A host only
/// loads a model that matches its manifest; building one is the model supply's job (CatWrangler.ModelSupply).
/// </summary>
public sealed class ModelFile
{
    private readonly ModelSource source;

    public ModelFile(string modelDirectory, ModelSource? source = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        Directory = System.IO.Path.GetFullPath(modelDirectory);
        this.source = source ?? ModelSource.CenterNet;
    }

    public ModelFile(OnnxDetectorOptions options, ModelSource? source = null)
        : this(options.ModelDirectory ?? DefaultDirectory(), source)
    {
    }

    public string Directory { get; }

    public string Version => source.Version;

    public string Path => System.IO.Path.Combine(Directory, source.Version + ".onnx");

    public string ManifestPath => System.IO.Path.Combine(Directory, source.Version + ".manifest.json");

    /// <summary><c>$XDG_CACHE_HOME/catwrangler/models</c>, else <c>~/.cache/catwrangler/models</c>.</summary>
    public static string DefaultDirectory()
        => DefaultDirectory(Environment.GetEnvironmentVariable("XDG_CACHE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static string DefaultDirectory(string? xdgCacheHome, string home)
        => System.IO.Path.Combine(string.IsNullOrWhiteSpace(xdgCacheHome) ? System.IO.Path.Combine(home, ".cache") : xdgCacheHome, "catwrangler", "models");

    /// <summary>
    /// The manifest when the .onnx beside it is the one it describes, built from this source's pinned files; otherwise null
    /// (missing, damaged, replaced or built from something else).
    /// </summary>
    public ModelManifest? ReadVerifiedManifest()
    {
        try
        {
            if (!File.Exists(ManifestPath) || !File.Exists(Path))
            {
                return null;
            }

            var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(ManifestPath));
            if (manifest is null || manifest.Version != source.Version
                || manifest.GraphSha256 != source.GraphSha256 || manifest.WeightsSha256 != source.WeightsSha256)
            {
                return null;
            }

            // a damaged or replaced .onnx is refused rather than handed to ONNX Runtime
            using var stream = File.OpenRead(Path);
            return stream.Length == manifest.OnnxBytes && Convert.ToHexStringLower(SHA256.HashData(stream)) == manifest.OnnxSha256
                ? manifest
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The verified model, or a start-up error naming the setting and the path.</summary>
    /// <exception cref="InvalidOperationException">No verified model in <see cref="Directory"/>.</exception>
    public ResolvedModel Load()
        => ReadVerifiedManifest() is not null
            ? new ResolvedModel(Path, source.Version)
            : throw new InvalidOperationException(
                $"No verified detector model at {Path} (with {System.IO.Path.GetFileName(ManifestPath)}): set {OnnxDetectorOptions.Section}:{nameof(OnnxDetectorOptions.ModelDirectory)} "
                + "to a folder holding one, or build it with `catscan scan` (or tools/package.sh, which ships it in the processor's zip).");
}
