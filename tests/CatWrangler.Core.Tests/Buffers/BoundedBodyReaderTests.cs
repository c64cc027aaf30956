using CatWrangler.Core.Buffers;

namespace CatWrangler.Core.Tests.Buffers;

public sealed class BoundedBodyReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Body(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31))];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BoundedBodyReader.SegmentBytes)]
    [InlineData((2 * BoundedBodyReader.SegmentBytes) + 17)]
    public async Task A_body_at_or_under_the_limit_arrives_whole_across_segments(int length)
    {
        var body = Body(length);
        var observed = new MemoryStream();

        var read = await BoundedBodyReader.ReadAsync(new MemoryStream(body), maxBytes: length, Ct, observe: chunk => observed.Write(chunk));

        var complete = Assert.IsType<BoundedRead.Complete>(read);
        using var pooled = complete.Body;
        Assert.Equal(body, pooled.Memory.ToArray());
        Assert.Equal(body, observed.ToArray());
    }

    [Fact]
    public async Task One_byte_over_the_limit_is_too_large()
    {
        var read = await BoundedBodyReader.ReadAsync(new MemoryStream(Body(1001)), maxBytes: 1000, Ct);

        Assert.IsType<BoundedRead.TooLarge>(read);
    }

    [Fact]
    public async Task A_refused_segment_stops_reading_before_the_stream_is_drained()
    {
        var source = new MemoryStream(Body((3 * BoundedBodyReader.SegmentBytes) + 1));
        var asked = new List<long>();

        var read = await BoundedBodyReader.ReadAsync(source, maxBytes: long.MaxValue, Ct, reserveSegment: soFar =>
        {
            asked.Add(soFar);
            return asked.Count <= 2;
        });

        Assert.IsType<BoundedRead.OverBudget>(read);
        Assert.Equal([0L, BoundedBodyReader.SegmentBytes, 2L * BoundedBodyReader.SegmentBytes], asked);
        Assert.Equal(2L * BoundedBodyReader.SegmentBytes, source.Position);
    }
}
