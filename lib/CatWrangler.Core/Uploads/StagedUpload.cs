namespace CatWrangler.Core.Uploads;

/// <summary>What the staging area holds for an upload id.</summary>
public abstract record StagedUpload
{
    private StagedUpload() { }

    /// <summary>The uploaded bytes (not yet validated as an image).</summary>
    public sealed record Found(byte[] Bytes) : StagedUpload;

    /// <summary>Unknown id, another client's id, nothing uploaded yet, or expired and removed.</summary>
    public sealed record Missing : StagedUpload;

    /// <summary>More bytes than the image limit; not read.</summary>
    public sealed record TooLarge(long Bytes) : StagedUpload;
}
