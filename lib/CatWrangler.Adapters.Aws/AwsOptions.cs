namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Section <c>CatWrangler:Aws</c>: resource names for the AWS adapters. Endpoints are not configured here: the SDK
/// honours <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL_SQS</c> and <c>AWS_ENDPOINT_URL_SSM</c>.
/// </summary>
public sealed record AwsOptions
{
    public const string Section = "CatWrangler:Aws";

    /// <summary>Bucket holding the images.</summary>
    public string BucketName { get; init; } = "";

    /// <summary>Prefix in front of every image key (e.g. <c>images/</c>); empty keeps the hash first.</summary>
    public string KeyPrefix { get; init; } = "";

    /// <summary>Path-style bucket addressing (emulators); real S3 prefers virtual-hosted style.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>SSE-KMS key id or alias; null means SSE-S3 (AES256).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>The single DynamoDB table (see docs/aws.md for the item design).</summary>
    public string TableName { get; init; } = "";

    /// <summary>The work queue's URL.</summary>
    public string QueueUrl { get; init; } = "";

    /// <summary>SSM parameter name prefix; <c>CatWrangler:Slack:BotToken</c> becomes <c>{prefix}/CatWrangler/Slack/BotToken</c>.</summary>
    public string ParameterPrefix { get; init; } = "/catwrangler";

    /// <summary>How long a secret (or its absence) is cached before SSM is asked again.</summary>
    public TimeSpan SecretCacheDuration { get; init; } = TimeSpan.FromMinutes(5);
}
