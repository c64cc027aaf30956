using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CatWrangler.Adapters.Aws;

public static class AwsAdaptersServiceCollectionExtensions
{
    /// <summary>S3 for images, DynamoDB for scans, SQS for work, SSM Parameter Store for secrets.</summary>
    public static IServiceCollection AddAwsAdapters(this IServiceCollection services, IConfiguration configuration)
        => throw new NotImplementedException("AWS adapters: issue 5");

    /// <summary>Amazon Rekognition DetectLabels as the <see cref="Core.Detection.ICatDetector"/>.</summary>
    public static IServiceCollection AddRekognitionCatDetector(this IServiceCollection services, IConfiguration configuration)
        => throw new NotImplementedException("Rekognition detector: issue 5");
}
