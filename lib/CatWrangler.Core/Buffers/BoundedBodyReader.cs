using System.Buffers;

namespace CatWrangler.Core.Buffers;

/// <summary>
/// The one size-capped body reader (API uploads, Slack requests, Slack file downloads): bytes go into small segments
/// rented from <see cref="ArrayPool{T}.Shared"/>, reading stops at the first byte over the limit, and only a complete body
/// becomes one contiguous <see cref="PooledBody"/>. Every segment is returned on every path; stream errors propagate.
/// </summary>
public static class BoundedBodyReader
{
    /// <summary>Below the large-object-heap threshold, so segments are cheap to pool and never pin a full collection.</summary>
    public const int SegmentBytes = 64 * 1024;

    /// <param name="maxBytes">The most bytes the body may have.</param>
    /// <param name="reserveSegment">
    /// Asked, with the bytes read so far, before each new segment is rented (a shared memory budget); false stops with
    /// <see cref="BoundedRead.OverBudget"/>. Null: no budget.
    /// </param>
    /// <param name="observe">Sees each chunk as it arrives (e.g. a signature's HMAC); null: nothing to observe.</param>
    public static async Task<BoundedRead> ReadAsync(
        Stream source,
        long maxBytes,
        CancellationToken cancellationToken,
        Func<long, bool>? reserveSegment = null,
        Action<ReadOnlySpan<byte>>? observe = null)
    {
        var segments = new List<byte[]>();
        try
        {
            var length = 0L;
            while (true)
            {
                var offset = (int)(length % SegmentBytes);
                if (offset == 0 && length == segments.Count * (long)SegmentBytes)
                {
                    if (reserveSegment is not null && !reserveSegment(length))
                    {
                        return new BoundedRead.OverBudget();
                    }

                    segments.Add(ArrayPool<byte>.Shared.Rent(SegmentBytes));
                }

                var segment = segments[^1].AsMemory(offset, SegmentBytes - offset);
                var read = await source.ReadAsync(segment, cancellationToken);
                if (read == 0)
                {
                    return new BoundedRead.Complete(PooledBody.Concat(segments, (int)length));
                }

                length += read;
                if (length > maxBytes)
                {
                    return new BoundedRead.TooLarge();
                }

                observe?.Invoke(segment.Span[..read]);
            }
        }
        finally
        {
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }
        }
    }
}
