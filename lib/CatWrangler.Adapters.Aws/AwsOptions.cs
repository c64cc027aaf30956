using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Section <c>CatWrangler:Aws</c>: resource names for the AWS adapters. Endpoints are not configured here: the SDK
/// honours <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL_SQS</c> and <c>AWS_ENDPOINT_URL_SSM</c>.
/// </summary>
public sealed record AwsOptions
{
    public const string Section = "CatWrangler:Aws";

    /// <summary>Bucket holding the images.</summary>
    [Required]
    public string BucketName { get; init; } = "";

    /// <summary>Prefix in front of every image key (e.g. <c>images/</c>); empty keeps the hash first.</summary>
    public string KeyPrefix { get; init; } = "";

    /// <summary>Path-style bucket addressing (emulators); real S3 prefers virtual-hosted style.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>SSE-KMS key id or alias; null means SSE-S3 (AES256).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>The single DynamoDB table (see docs/aws.md for the item design).</summary>
    [Required]
    public string TableName { get; init; } = "";

    /// <summary>The work queue's URL.</summary>
    [Required]
    public string QueueUrl { get; init; } = "";

    /// <summary>
    /// The work queue's redrive <c>maxReceiveCount</c> (set by Terraform): a record failing on this receive goes to the
    /// dead-letter queue next, so it is the last attempt.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>
    /// Let the processor host poll the queue itself (a plain process, <c>catscan serve</c>, emulator runs). Keep false
    /// on Lambda, where the SQS event source mapping delivers batches to <c>POST /events</c>.
    /// </summary>
    public bool PollQueue { get; init; }

    /// <summary>Long-poll wait of the poller (SQS allows up to 20 s).</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>SSM parameter name prefix; <c>CatWrangler:Slack:BotToken</c> lives at <c>{prefix}/CatWrangler/Slack/BotToken</c>.</summary>
    public string ParameterPrefix { get; init; } = "/catwrangler";

    /// <summary>
    /// False adds no SSM source (for running against emulators: there is no SSM emulator); settings and secrets then come
    /// from the other configuration sources only.
    /// </summary>
    public bool UseParameterStore { get; init; } = true;

    /// <summary>Hierarchies under the prefix this host reads; empty means <c>CatWrangler</c> (everything). Terraform narrows it per function.</summary>
    public string[] ParameterPaths { get; init; } = [];

    /// <summary>Single parameters under the prefix this host reads besides <see cref="ParameterPaths"/>.</summary>
    public string[] ParameterNames { get; init; } = [];

    /// <summary>How often the parameters are read again: a rotated secret or a changed client takes effect within this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan ParameterReloadInterval { get; init; } = TimeSpan.FromMinutes(1);
}
