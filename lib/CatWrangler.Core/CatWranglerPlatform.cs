namespace CatWrangler.Core;

/// <summary>Where the ports are implemented (<c>CatWrangler:Platform</c>).</summary>
public enum CatWranglerPlatform
{
    /// <summary>The embedded default: files, SQLite, the in-process queue.</summary>
    Local,

    /// <summary>S3, DynamoDB, SQS, SSM.</summary>
    Aws,
}
