using Microsoft.Extensions.Logging;

namespace CatWrangler.Detection.Onnx;

/// <summary>Hosts report model provisioning (first start fetches and converts the model) through their logs.</summary>
internal sealed partial class LoggingModelProgress(ILogger<LoggingModelProgress> logger) : IModelProgress
{
    public void Report(string value) => LogProgress(logger, value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cat detector model: {Progress}")]
    private static partial void LogProgress(ILogger logger, string progress);
}
