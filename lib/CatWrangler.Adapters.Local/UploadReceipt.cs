namespace CatWrangler.Adapters.Local;

/// <summary>What a <c>PUT</c> to a local upload URL came to.</summary>
public enum UploadReceipt
{
    Stored,
    InvalidSignature,
    Expired,
    AlreadyUsed,
    TooLarge,
}
