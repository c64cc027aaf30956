using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Amazon.SQS;
using CatWrangler.Adapters.Aws;
using CatWrangler.Aws.Tests.Emulators;
using CatWrangler.Core.Ports;

namespace CatWrangler.Aws.Tests.Sqs;

/// <summary>
/// <c>/events</c> driven the way the Web Adapter drives it, its answer judged by the adapter's and Lambda's rules
/// (<see cref="WebAdapterContract"/>): whatever throws, every record whose work is not done is redelivered. The app is
/// judged without <c>AWS_LWA_ERROR_STATUS_CODES</c>: that setting is the second line of defence, not the first.
/// </summary>
[Trait("Category", "Aws")]
public sealed class WebAdapterContractTests(AwsEmulators emulators) : SqsEmulatorTest(emulators)
{
    [Fact]
    public async Task A_failing_hop_and_a_throwing_handler_fail_only_their_own_records()
    {
        // The hop goes to a queue that does not exist: SendMessage fails the way a throttled or denied call does.
        var missingQueue = Emulated.QueueUrl[..(Emulated.QueueUrl.LastIndexOf('/') + 1)] + "missing-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await EventsHost.StartAsync(
            Emulated with { QueueUrl = missingQueue },
            (item, _, _) => item.ScanId == "throws" ? throw new InvalidOperationException("detector crashed") : Task.FromResult(WorkOutcome.Done));
        var records = new[]
        {
            Record("m-done", new SqsWorkMessage("done", WorkKind.Process).ToJson()),
            Record("m-hop", new SqsWorkMessage("hop", WorkKind.Callback, 3, DateTimeOffset.UtcNow.AddHours(3)).ToJson()),
            Record("m-throws", new SqsWorkMessage("throws", WorkKind.Process).ToJson()),
            Record("m-done-after", new SqsWorkMessage("done-after", WorkKind.Process).ToJson()),
        };

        var invocation = await WebAdapterContract.InvokeAsync(host.Http, Event(records), errorStatusCodes: null);

        Assert.False(invocation.InvocationFailed);
        Assert.Equal(["m-hop", "m-throws"], WebAdapterContract.Redelivered(invocation, Ids(records)).Order());
    }

    [Fact]
    public async Task A_record_whose_json_does_not_fit_fails_alone()
    {
        await using var host = await EventsHost.StartAsync(Emulated, (_, _, _) => Task.FromResult(WorkOutcome.Done));
        var odd = Record("m-odd", new SqsWorkMessage("odd", WorkKind.Process).ToJson());
        odd["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = 2 }; // a number where Lambda sends a string
        var records = new[] { Record("m-ok", new SqsWorkMessage("ok", WorkKind.Process).ToJson()), odd };

        var invocation = await WebAdapterContract.InvokeAsync(host.Http, Event(records), errorStatusCodes: null);

        Assert.Equal(["m-odd"], WebAdapterContract.Redelivered(invocation, Ids(records)));
    }

    [Fact]
    public async Task A_record_without_a_message_id_fails_the_whole_batch_rather_than_being_deleted_unnamed()
    {
        await using var host = await EventsHost.StartAsync(Emulated, (_, _, _) => Task.FromResult(WorkOutcome.Done));
        var unnamed = Record("x", new SqsWorkMessage("unnamed", WorkKind.Process).ToJson());
        unnamed.Remove("messageId");
        var records = new[] { Record("m-ok", new SqsWorkMessage("ok", WorkKind.Process).ToJson()), unnamed };

        var invocation = await WebAdapterContract.InvokeAsync(host.Http, Event(records), errorStatusCodes: null);

        Assert.Equal(["m-ok"], WebAdapterContract.Redelivered(invocation, ["m-ok"]));
    }

    [Fact]
    public async Task A_body_that_is_no_event_fails_the_invocation_with_the_deployed_error_status_codes()
    {
        await using var host = await EventsHost.StartAsync(Emulated, (_, _, _) => Task.FromResult(WorkOutcome.Done));

        var deployed = await WebAdapterContract.InvokeAsync(host.Http, """{"Records": [ {"messageId": "m-1", """);
        var unprotected = await WebAdapterContract.InvokeAsync(host.Http, """{"Records": [ {"messageId": "m-1", """, errorStatusCodes: null);

        Assert.True(deployed.InvocationFailed);
        Assert.Equal(["m-1"], WebAdapterContract.Redelivered(deployed, ["m-1"]));
        Assert.Empty(WebAdapterContract.Redelivered(unprotected, ["m-1"])); // why the setting is deployed
    }

    [Theory]
    [InlineData(500, null, "", false)] // an unhandled exception's empty 500: JSON null, the whole batch counts as done
    [InlineData(500, "text/plain", "Internal Server Error", false)]
    [InlineData(500, null, "", true)]
    [InlineData(200, "application/octet-stream", """{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", false)] // not text: null
    [InlineData(200, "application/json", """{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", true)]
    [InlineData(200, "application/json", """{"batchItemFailures":[{"itemIdentifier":""}]}""", true)]
    [InlineData(200, "application/json", """{"batchItemFailures":[{"itemIdentifier":"m-unknown"}]}""", true)]
    [InlineData(200, "application/problem+json", """{"status":400,"title":"Not an SQS event"}""", false)]
    public void The_contract_reads_answers_the_way_the_adapter_and_lambda_do(int status, string? contentType, string body, bool redelivered)
    {
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        var errorCodes = status == 500 && redelivered ? WebAdapterContract.DeployedErrorStatusCodes : null;

        var invocation = WebAdapterContract.ToInvocation(status, content.Headers, System.Text.Encoding.UTF8.GetBytes(body), errorCodes);

        Assert.Equal(redelivered, WebAdapterContract.Redelivered(invocation, ["m-1"]).Contains("m-1"));
    }

    [Fact]
    public void Error_status_codes_parse_like_the_adapter_parses_them()
    {
        Assert.Equal([500, 502, 503, 504, 422], WebAdapterContract.ParseStatusCodes("500, 502-504, 422"));
        Assert.Empty(WebAdapterContract.ParseStatusCodes("500-invalid"));
        Assert.Equal(200, WebAdapterContract.ParseStatusCodes(WebAdapterContract.DeployedErrorStatusCodes).Count);
    }

    private static JsonObject Record(string messageId, string body) => new()
    {
        ["messageId"] = messageId,
        ["receiptHandle"] = "handle-" + messageId,
        ["body"] = body,
        ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1" },
        ["messageAttributes"] = new JsonObject(),
        ["eventSource"] = "aws:sqs",
        ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:work",
        ["awsRegion"] = "us-east-1",
    };

    private static string Event(IEnumerable<JsonObject> records)
        => new JsonObject { ["Records"] = new JsonArray([.. records.Select(r => r.DeepClone())]) }.ToJsonString();

    private static string[] Ids(IEnumerable<JsonObject> records) => [.. records.Select(r => r["messageId"]!.GetValue<string>())];
}
