using System.Buffers;

namespace CatWrangler.Core.Buffers;

/// <summary>
/// A request body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: images are 100 KB and more, and a fresh array per
/// upload would land on the large object heap, which only a full collection frees (hundreds of MB under load).
/// Valid until disposed at the end of the request.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    /// <summary>One contiguous copy of <paramref name="segments"/> (the first <paramref name="length"/> bytes of them, in order).</summary>
    internal static PooledBody Concat(IReadOnlyList<byte[]> segments, int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        var copied = 0;
        foreach (var segment in segments)
        {
            var count = Math.Min(segment.Length, length - copied);
            segment.AsSpan(0, count).CopyTo(buffer.AsSpan(copied));
            copied += count;
        }

        return new PooledBody(buffer, length);
    }

    public ReadOnlyMemory<byte> Memory => new(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length);

    /// <summary>A read-only stream over the body.</summary>
    public Stream AsStream() => new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length, writable: false);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
