using System.Net;
using System.Text.Json.Nodes;
using CatWrangler.Adapters.Aws;
using CatWrangler.Core;
using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CatWrangler.Aws.Tests.Contracts.SdkOracle;

/// <summary>Our hand-written DetectLabels client against the official AWS SDK for JavaScript on the same inputs (needs Node).</summary>
[Trait("Category", "Aws")]
public sealed class RekognitionSdkOracleTests(RekognitionSdkOracle oracle) : IClassFixture<RekognitionSdkOracle>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-28T08:00:00Z");
    private static readonly byte[] ImageBytes = [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))];

    public static TheoryData<string, string?, bool, double> Requests => new()
    {
        { "us-east-1", "session-token-value", true, 60 },
        { "eu-west-1", null, true, 50 },
        { "us-east-1", "FwoGZXIvYXdzEBYaDH+session/token==", false, 72.5 },
        { "cn-north-1", null, false, 50 },
        { "us-gov-west-1", "token", true, 99 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Our_detectlabels_request_and_signature_are_the_sdks_byte_for_byte(string region, string? sessionToken, bool inS3, double minConfidence)
    {
        var credentials = new AwsSigningCredentials("AKIDORACLE", "secret/with+symbols=", sessionToken);
        using var handler = new RecordingHandler((HttpStatusCode.OK, """{"Labels":[]}""", null));
        using var http = new HttpClient(handler);
        var options = new RekognitionOptions { Region = region, MinConfidence = minConfidence };
        var detector = new RekognitionCatDetector(
            http,
            new FixedCredentials(credentials),
            RekognitionEndpointResolver.Resolve(options, _ => null),
            options,
            new DetectorOptions { Kind = DetectorKind.Rekognition },
            new AwsOptions { BucketName = "images-bucket" },
            new FakeTimeProvider(Now),
            NullLogger<RekognitionCatDetector>.Instance);

        await detector.DetectAsync(new ImageContent(ImageBytes, ImageFormat.Png, 640, 480, inS3 ? "ab12/ab12cd" : null), TestContext.Current.CancellationToken);

        var image = inS3
            ? new JsonObject { ["S3Object"] = new JsonObject { ["Bucket"] = "images-bucket", ["Name"] = "ab12/ab12cd" } }
            : new JsonObject { ["Bytes"] = Convert.ToBase64String(ImageBytes) };
        var sdk = Assert.Single(await oracle.AskAsync([RekognitionSdkOracle.Case("request", new
        {
            time = Now.ToString("O"),
            region,
            credentials = new { accessKeyId = credentials.AccessKeyId, secretAccessKey = credentials.SecretAccessKey, sessionToken },
            input = new JsonObject
            {
                ["Image"] = image,
                ["MinConfidence"] = minConfidence,
                ["Features"] = new JsonArray("GENERAL_LABELS"),
                ["Settings"] = new JsonObject { ["GeneralLabels"] = new JsonObject { ["LabelInclusionFilters"] = new JsonArray("Cat") } },
            },
        })]));

        var ours = Assert.Single(handler.Requests);
        Assert.Null(sdk["error"]);
        Assert.Equal(sdk["method"]!.GetValue<string>(), ours.Method);
        Assert.Equal(sdk["url"]!.GetValue<string>(), ours.Url);
        Assert.Equal(Convert.FromBase64String(sdk["body"]!.GetValue<string>()), ours.Body);
        var sdkHeaders = sdk["headers"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>()).OrderBy(h => h.Key, StringComparer.Ordinal);
        Assert.Equal(sdkHeaders, ours.Headers.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.StartsWith("AWS4-HMAC-SHA256 ", ours.Headers["authorization"]);
    }

    /// <summary>Regions of every partition, FIPS, dual-stack and the standard endpoint variables.</summary>
    public static readonly (string Region, Dictionary<string, string> Environment)[] EndpointCases =
    [
        ("us-east-1", []),
        ("eu-central-2", []),
        ("ap-southeast-7", []),
        ("mx-central-1", []),
        ("us-west-9", []),
        ("cn-north-1", []),
        ("cn-northwest-1", []),
        ("us-gov-west-1", []),
        ("us-gov-east-1", []),
        ("us-iso-east-1", []),
        ("us-isob-east-1", []),
        ("eu-isoe-west-1", []),
        ("us-isof-south-1", []),
        ("eusc-de-east-1", []),
        ("us-east-1", new() { ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("ca-central-1", new() { ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("us-gov-west-1", new() { ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("cn-north-1", new() { ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("us-iso-east-1", new() { ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("us-east-1", new() { ["AWS_USE_DUALSTACK_ENDPOINT"] = "true" }),
        ("cn-north-1", new() { ["AWS_USE_DUALSTACK_ENDPOINT"] = "true" }),
        ("us-east-1", new() { ["AWS_USE_DUALSTACK_ENDPOINT"] = "true", ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL_REKOGNITION"] = "http://127.0.0.1:4566" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL"] = "https://proxy.example:8443" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL"] = "https://proxy.example:8443", ["AWS_ENDPOINT_URL_REKOGNITION"] = "http://127.0.0.1:4566" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL"] = "https://proxy.example:8443", ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL_REKOGNITION"] = "http://127.0.0.1:4566", ["AWS_USE_FIPS_ENDPOINT"] = "true" }),
        ("eu-west-1", new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566", ["AWS_USE_DUALSTACK_ENDPOINT"] = "true" }),
    ];

    [Fact]
    public async Task Our_endpoint_is_the_sdks_for_every_partition_fips_dual_stack_and_endpoint_variable()
    {
        var sdk = await oracle.AskAsync(EndpointCases.Select(c => RekognitionSdkOracle.Case("endpoint", new { region = c.Region, env = c.Environment })));

        var expected = EndpointCases.Zip(sdk, (c, r) => $"{c.Region} {Describe(c.Environment)} → {(r["error"] is null ? r["url"]!.GetValue<string>() : "refused")}");
        var actual = EndpointCases.Select(c => $"{c.Region} {Describe(c.Environment)} → {Ours(c.Region, c.Environment)}");
        Assert.Equal(expected, actual);

        static string Ours(string region, Dictionary<string, string> environment)
        {
            try
            {
                return RekognitionEndpointResolver.Resolve(new RekognitionOptions { Region = region }, environment.GetValueOrDefault).Uri.ToString();
            }
            catch (InvalidOperationException)
            {
                return "refused";
            }
        }

        static string Describe(Dictionary<string, string> environment) => string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"));
    }

    /// <summary>Every name of our table in the forms the service and proxies use, plus responses with no name at all.</summary>
    public static IEnumerable<(int Status, string? Header, string Body)> ErrorCases()
    {
        foreach (var name in RekognitionErrors.Table.Keys)
        {
            var status = name switch
            {
                "InternalServerError" or "InternalFailure" => 500,
                "ServiceUnavailable" or "ServiceUnavailableException" => 503,
                "RequestTimeout" or "RequestTimeoutException" => 408,
                "AccessDeniedException" or "MissingAuthenticationTokenException" or "MissingAuthenticationToken" or "NotAuthorized" or "OptInRequired" => 403,
                _ => 400,
            };
            yield return (status, null, $$"""{"__type":"{{name}}","message":"m"}""");
            yield return (status, null, $$"""{"__type":"com.amazonaws.rekognition#{{name}}","Message":"m"}""");
            yield return (status, $"{name}:http://internal.amazon.com/coral/com.amazonaws.rekognition/", "{}");
            yield return (status, null, $$"""{"code":"{{name}}","message":"m"}""");
        }

        yield return (400, null, """{"__type":"InvalidSignatureException","message":"Signature expired: 20261128T070000Z is now earlier than 20261128T071000Z"}""");
        yield return (400, "ThrottlingException", """{"__type":"InvalidImageFormatException"}""");
        yield return (429, null, """{"__type":"SomethingNew"}""");
        yield return (400, null, """{"__type":"SomethingNew"}""");
        yield return (502, null, "<html>bad gateway</html>");
        yield return (403, null, "<html>forbidden by proxy</html>");
        yield return (503, null, "");
    }

    [Fact]
    public async Task Our_error_names_and_retry_decisions_are_the_sdks()
    {
        var cases = ErrorCases().ToList();
        var sdk = await oracle.AskAsync(cases.Select(c => RekognitionSdkOracle.Case("error", new
        {
            status = c.Status,
            headers = c.Header is null ? new Dictionary<string, string>() : new() { ["x-amzn-errortype"] = c.Header },
            body = c.Body,
        })));

        // The SDK names what it could parse; a body that is not JSON is a parse error there and "Unknown" here.
        var expected = cases.Zip(sdk, (c, r) => Line(c, r["name"]!.GetValue<string>() is var n && n.EndsWith("Error", StringComparison.Ordinal) && n is "SyntaxError" or "TypeError" ? RekognitionErrors.UnknownType : n, r["retryable"]!.GetValue<bool>()));
        var actual = cases.Select(c =>
        {
            var error = RekognitionErrors.Read((HttpStatusCode)c.Status, c.Header, c.Body);
            return Line(c, error.ErrorType, error.Kind == RekognitionErrorKind.Transient);
        });
        Assert.Equal(expected, actual);

        static string Line((int Status, string? Header, string Body) c, string name, bool retried)
            => $"{c.Status} [{c.Header}] {c.Body} → {name}, {(retried ? "retried" : "not retried")}";
    }

    private sealed class FixedCredentials(AwsSigningCredentials credentials) : IAwsCredentialSource
    {
        public ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
    }
}
