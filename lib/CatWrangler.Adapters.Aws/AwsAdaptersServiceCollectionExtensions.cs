using Amazon;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Options;
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
        services.AddValidatedOptions<AwsOptions>(configuration, AwsOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IAmazonS3>(sp => new AmazonS3Client(new AmazonS3Config { ForcePathStyle = sp.GetRequiredService<AwsOptions>().ForcePathStyle }));
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
        services.AddValidatedOptions<RekognitionOptions>(configuration, RekognitionOptions.Section);
        services.AddValidatedOptions<DetectorOptions>(configuration, DetectorOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAwsCredentialSource, SdkCredentialSource>();
        services.AddSingleton(sp => RekognitionEndpointResolver.Resolve(sp.GetRequiredService<RekognitionOptions>(), Environment.GetEnvironmentVariable));
        services.AddHttpClient(nameof(RekognitionCatDetector))
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<RekognitionOptions>().Timeout);
        services.AddSingleton<ICatDetector>(sp => new RekognitionCatDetector(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RekognitionCatDetector)),
            sp.GetRequiredService<IAwsCredentialSource>(),
            sp.GetRequiredService<RekognitionEndpoint>(),
            sp.GetRequiredService<RekognitionOptions>(),
            sp.GetRequiredService<DetectorOptions>(),
            sp.GetService<AwsOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RekognitionCatDetector>>()));
        return services;
    }
}
