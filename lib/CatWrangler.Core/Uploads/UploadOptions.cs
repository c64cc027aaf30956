using System.ComponentModel.DataAnnotations;

namespace CatWrangler.Core.Uploads;

/// <summary>Section <c>CatWrangler:Uploads</c>: the two-step upload (<c>POST /v1/uploads</c>, then a <c>PUT</c> to the returned URL).</summary>
public sealed record UploadOptions
{
    public const string Section = "CatWrangler:Uploads";

    /// <summary>How long an upload URL accepts its <c>PUT</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan UrlLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long staged bytes stay submittable (counted from the URL's creation); older ones are deleted by the local
    /// sweeper, and on AWS by the S3 lifecycle rule on <see cref="KeyPrefix"/> (whole days only).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00")]
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>S3 key prefix of staged uploads (AWS); the staging object is <c>{prefix}{client}/{uploadId}</c>.</summary>
    public string KeyPrefix { get; init; } = "uploads/";
}
