using Amazon;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Adapters.Aws;

public static class AwsAdaptersServiceCollectionExtensions
{
    /// <summary>
    /// S3 for images, DynamoDB for scans, SQS for work; secrets come from configuration, which <see cref="Configuration.SsmConfigurationExtensions.AddSsmParameters"/> fills from SSM Parameter Store. SDK clients are created
    /// without endpoints so the standard <c>AWS_ENDPOINT_URL_*</c> variables, region and credential chains apply.
    /// </summary>
    public static IServiceCollection AddAwsAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        Require(options.BucketName, "BucketName");
        Require(options.TableName, "TableName");
        Require(options.QueueUrl, "QueueUrl");
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IAmazonS3>(_ => new AmazonS3Client(new AmazonS3Config { ForcePathStyle = options.ForcePathStyle }));
        services.TryAddSingleton<IAmazonDynamoDB>(_ => new AmazonDynamoDBClient());
        services.TryAddSingleton<IAmazonSQS>(_ => new AmazonSQSClient());

        services.AddSingleton<S3ImageStore>();
        services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<S3ImageStore>());
        services.AddSingleton<DynamoScanStore>();
        services.AddSingleton<IScanStore>(sp => sp.GetRequiredService<DynamoScanStore>());
        services.AddSingleton<SqsWorkQueue>();
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqsWorkQueue>());
        services.AddSingleton<S3UploadStaging>();
        services.AddSingleton<IUploadStaging>(sp => sp.GetRequiredService<S3UploadStaging>());
        services.AddSingleton<ISecretStore, ConfigurationSecretStore>();
        return services;
    }

    /// <summary>Amazon Rekognition DetectLabels as the <see cref="ICatDetector"/>.</summary>
    public static IServiceCollection AddRekognitionCatDetector(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RekognitionOptions.Section).Get<RekognitionOptions>() ?? new RekognitionOptions();
        var detector = configuration.GetSection(DetectorOptions.Section).Get<DetectorOptions>() ?? new DetectorOptions();
        if (options.MinConfidence is < 0 or > 100)
        {
            throw new InvalidOperationException($"{RekognitionOptions.Section}:MinConfidence must be between 0 and 100.");
        }

        if (options.MaxAttempts < 1)
        {
            throw new InvalidOperationException($"{RekognitionOptions.Section}:MaxAttempts must be at least 1.");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAwsCredentialSource, SdkCredentialSource>();
        services.AddSingleton(RekognitionEndpointResolver.Resolve(options, Environment.GetEnvironmentVariable));
        services.AddHttpClient(nameof(RekognitionCatDetector), client => client.Timeout = options.Timeout);
        services.AddSingleton<ICatDetector>(sp => new RekognitionCatDetector(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RekognitionCatDetector)),
            sp.GetRequiredService<IAwsCredentialSource>(),
            sp.GetRequiredService<RekognitionEndpoint>(),
            options,
            detector,
            sp.GetService<AwsOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RekognitionCatDetector>>()));
        return services;
    }

    private static void Require(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{AwsOptions.Section}:{name} must be set when CatWrangler:Platform is 'aws'.");
        }
    }
}
