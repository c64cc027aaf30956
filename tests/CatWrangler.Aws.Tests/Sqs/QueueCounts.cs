namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>
/// A queue's approximate message counts. local-aws-sqs counts in-flight messages in <see cref="Visible"/> too (real SQS
/// does not); the two agree whenever nothing is in flight, which is when tests read it.
/// </summary>
internal sealed record QueueCounts(int Visible, int InFlight, int Delayed)
{
    public static readonly QueueCounts Empty = new(0, 0, 0);
}
