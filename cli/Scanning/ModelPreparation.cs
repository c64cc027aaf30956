using CatWrangler.Core;
using CatWrangler.Processor.Detection;
using CatWrangler.Detection.Onnx;
using CatWrangler.ModelSupply;

namespace CatWrangler.Cli.Scanning;

/// <summary>
/// The CLI's model supply step: before a host or detector is composed, the ONNX model is built into the configured model
/// directory (npm pack + conversion on first use, a hash check later), with progress on the given writer. Hosts then only
/// load and verify the file.
/// </summary>
internal static class ModelPreparation
{
    /// <exception cref="InvalidOperationException">The model could not be obtained or converted (the message says why).</exception>
    public static async Task EnsureAsync(IConfiguration configuration, TextWriter progress, CancellationToken cancellationToken)
    {
        if (DetectorServiceCollectionExtensions.KindOf(configuration) != DetectorKind.Onnx)
        {
            return;
        }

        var options = configuration.GetSection(OnnxDetectorOptions.Section).Get<OnnxDetectorOptions>() ?? new OnnxDetectorOptions();
        await new ModelProvisioner(options).EnsureAsync(new WriterProgress(progress), cancellationToken);
    }

    /// <summary>Writes each step as it happens (System.Progress would post it to the thread pool, out of order).</summary>
    private sealed class WriterProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
