using Amazon.SQS;
using Amazon.SQS.Model;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Aws;

/// <summary>A message as received from the queue (no SDK type leaves the adapter).</summary>
public sealed record SqsReceivedMessage(string MessageId, string ReceiptHandle, string Body, int ReceiveCount);
