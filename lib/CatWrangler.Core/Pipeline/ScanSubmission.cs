using System.Security.Cryptography;
using System.Text;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Pipeline;

/// <summary>One API upload as the intake sees it, after the caller was authenticated.</summary>
/// <param name="ClientId">The authenticated caller.</param>
/// <param name="IdempotencyKey">The caller's <c>webhook-id</c>.</param>
/// <param name="Bytes">The whole image file.</param>
/// <param name="DeclaredContentType">The caller's content type (null when not declared).</param>
/// <param name="ImageUrl">Instead of <paramref name="Bytes"/> (then empty): the URL the processor fetches the image from.</param>
public sealed record ScanSubmission(
    string ClientId,
    string IdempotencyKey,
    ReadOnlyMemory<byte> Bytes,
    string? DeclaredContentType,
    string? CallbackUrl,
    string? Reference,
    bool DebugRequested,
    string? ImageUrl = null);
