using System.Text;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SQS;
using CatWrangler.Adapters.Aws;

namespace CatWrangler.Aws.Tests.Signing;

public sealed class SigV4SignerTests
{
    private static readonly AwsSigningCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SuiteTime = DateTimeOffset.Parse("2015-08-30T12:36:00Z");

    /// <summary>Cases from AWS's published SigV4 test suite (request, expected signature).</summary>
    public static TheoryData<string, string, string, string[], string, string> Suite => new()
    {
        { "get-vanilla", "GET", "https://example.amazonaws.com/", [], "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "post-vanilla", "POST", "https://example.amazonaws.com/", [], "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-vanilla-query", "POST", "https://example.amazonaws.com/?Param1=value1", [], "", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
        { "post-header-key-sort", "POST", "https://example.amazonaws.com/", ["My-Header1:value1"], "", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "get-header-value-trim", "GET", "https://example.amazonaws.com/", ["My-Header1: value1", "My-Header2: \"a   b   c\""], "", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "get-header-value-order", "GET", "https://example.amazonaws.com/", ["My-Header1:value4", "My-Header1:value1", "My-Header1:value3", "My-Header1:value2"], "", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
        { "post-x-www-form-urlencoded", "POST", "https://example.amazonaws.com/", ["Content-Type:application/x-www-form-urlencoded"], "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
    };

    [Theory]
    [MemberData(nameof(Suite))]
    public void Matches_the_aws_test_suite(string name, string method, string url, string[] headerLines, string body, string signature)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z") };
        headers.AddRange(headerLines.Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));

        var authorization = SigV4Signer.Authorization(method, new Uri(url), headers, Encoding.UTF8.GetBytes(body), Example, "us-east-1", "service", SuiteTime);

        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=", authorization);
        Assert.True(authorization.EndsWith("Signature=" + signature, StringComparison.Ordinal), $"{name}: {authorization}");
    }

    [Fact]
    public void Agrees_with_the_sdk_signer_on_a_rekognition_call_with_a_session_token()
    {
        var credentials = new AwsSigningCredentials("ASIAEXAMPLEKEY123456", "secret/with+symbols=", "FwoGZXIvYXdzEBYaDH+session/token==");
        var payload = Encoding.UTF8.GetBytes("""{"Image":{"S3Object":{"Bucket":"b","Name":"ab12/ab12cd"}},"MinConfidence":50}""");
        var at = new DateTime(2026, 11, 28, 7, 30, 0, DateTimeKind.Utc);

        // The oracle: AWSSDK.Core's own SigV4 signer over the same request.
        var sdkRequest = new DefaultRequest(new Amazon.SQS.Model.ListQueuesRequest(), "rekognition")
        {
            HttpMethod = "POST",
            Endpoint = new Uri("https://rekognition.eu-west-1.amazonaws.com"),
            ResourcePath = "/",
            Content = payload,
            AuthenticationRegion = "eu-west-1",
        };
        sdkRequest.Headers["Content-Type"] = "application/x-amz-json-1.1";
        sdkRequest.Headers["X-Amz-Target"] = "RekognitionService.DetectLabels";
        sdkRequest.Headers["X-Amz-Security-Token"] = credentials.SessionToken;
        var config = new AmazonSQSConfig { ServiceURL = "https://rekognition.eu-west-1.amazonaws.com", AuthenticationRegion = "eu-west-1", AuthenticationServiceName = "rekognition" };
        var expected = new AWS4Signer().SignRequest(sdkRequest, config, null, credentials.AccessKeyId, credentials.SecretAccessKey, at).ForAuthorizationHeader;

        // Ours, through the HttpRequestMessage path the detector uses.
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://rekognition.eu-west-1.amazonaws.com/") { Content = new ByteArrayContent(payload) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "RekognitionService.DetectLabels");
        foreach (var (name, value) in sdkRequest.Headers.Where(h => h.Key.StartsWith("x-amz-content", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        SigV4Signer.Sign(message, payload, credentials, "eu-west-1", "rekognition", at);

        Assert.Equal(expected, message.Headers.GetValues("Authorization").Single());
        Assert.Equal(credentials.SessionToken, message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("x-amz-security-token", expected);
    }

    [Fact]
    public void Any_change_to_the_payload_changes_the_signature()
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z") };
        var a = SigV4Signer.Authorization("POST", new Uri("https://example.amazonaws.com/"), headers, "{}"u8, Example, "us-east-1", "service", SuiteTime);
        var b = SigV4Signer.Authorization("POST", new Uri("https://example.amazonaws.com/"), headers, "{ }"u8, Example, "us-east-1", "service", SuiteTime);
        Assert.NotEqual(a, b);
    }
}
