namespace CatWrangler.Webhooks;

/// <summary>A submission's image and options as the caller sent them, in any of the three body forms.</summary>
/// <param name="ImageUrl">Set instead of <paramref name="Bytes"/> (then empty) for an image the processor fetches.</param>
internal sealed record ParsedSubmission(ReadOnlyMemory<byte> Bytes, string? ContentType, string? CallbackUrl, string? Reference, bool Debug, string? ImageUrl = null);
