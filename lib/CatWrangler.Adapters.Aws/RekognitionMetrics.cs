using System.Diagnostics.Metrics;

namespace CatWrangler.Adapters.Aws;

/// <summary>Meter <c>CatWrangler.Rekognition</c>: error responses by name and kind, so configuration errors can alert.</summary>
public static class RekognitionMetrics
{
    public const string MeterName = "CatWrangler.Rekognition";
    public const string ErrorsInstrument = "catwrangler.rekognition.errors";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        ErrorsInstrument, unit: "{error}", description: "Rekognition error responses, tagged error.type and error.kind (transient, rejection, configuration).");

    public static void CountError(RekognitionException error)
        => Errors.Add(1, new("error.type", error.ErrorType), new("error.kind", error.Kind.ToString().ToLowerInvariant()));
}
