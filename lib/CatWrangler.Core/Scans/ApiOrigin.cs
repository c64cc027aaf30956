namespace CatWrangler.Core.Scans;

/// <param name="ImageUrl">Where the processor fetches the image from, for a scan submitted by URL (null once uploaded bytes are stored).</param>
public sealed record ApiOrigin(string ClientId, string? CallbackUrl, string? Reference, bool DebugRequested = false, string? ImageUrl = null);
