using System.Collections.Frozen;
using System.Net;
using System.Text.Json;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Reads a Rekognition error response the way the AWS SDKs' JSON 1.1 protocol does (error name from the body's
/// <c>__type</c>, else its <c>code</c>, else the <c>x-amzn-ErrorType</c> header; <c>,…</c> and <c>:…</c> suffixes and a
/// <c>namespace#</c> prefix dropped) and classifies it with the table below: DetectLabels' documented errors and the
/// common errors of every AWS API. Retrying matches the SDKs' standard retry rules (throttling names, 429, any 5xx).
/// </summary>
public static class RekognitionErrors
{
    public const string ErrorTypeHeader = "x-amzn-ErrorType";
    public const string UnknownType = "Unknown";
    private const int MaxMessageChars = 500;

    private const string RetryAdvice = "Retried inside the call with jittered backoff, then by the queue.";
    private const string CredentialsAdvice = "Check the processor's AWS credentials (role, keys, session token), the system clock and that the region/endpoint is Rekognition's.";

    /// <summary>Error name → what it means. Names not listed are configuration errors below HTTP 500 (and transient from 500 or on 429).</summary>
    public static FrozenDictionary<string, RekognitionErrorRule> Table { get; } = new Dictionary<string, RekognitionErrorRule>
    {
        // DetectLabels' documented errors.
        ["InvalidImageFormatException"] = new(RekognitionErrorKind.Rejection, "The image is not a JPEG or PNG Rekognition can read."),
        ["ImageTooLargeException"] = new(RekognitionErrorKind.Rejection, "The image is over Rekognition's size or dimension limits."),
        ["AccessDeniedException"] = new(RekognitionErrorKind.Configuration, "Allow rekognition:DetectLabels for the processor's role (and s3:GetObject on the image bucket, plus kms:Decrypt for an SSE-KMS bucket, when UseS3Object is true)."),
        ["InvalidS3ObjectException"] = new(RekognitionErrorKind.Configuration, "Rekognition cannot read the image from S3: the bucket must be in the Rekognition region and readable by the caller (s3:GetObject, KMS key policy); or set CatWrangler:Aws:Rekognition:UseS3Object=false to send the bytes inline."),
        ["InvalidParameterException"] = new(RekognitionErrorKind.Configuration, "Rekognition refused the request's parameters: check CatWrangler:Aws:Rekognition (MinConfidence 0–100) and the S3 bucket/key."),
        ["ThrottlingException"] = new(RekognitionErrorKind.Transient, RetryAdvice + " Sustained throttling: ask for a higher DetectLabels TPS quota or lower the processor's concurrency."),
        ["ProvisionedThroughputExceededException"] = new(RekognitionErrorKind.Transient, RetryAdvice + " Ask for a higher DetectLabels TPS quota."),
        ["InternalServerError"] = new(RekognitionErrorKind.Transient, RetryAdvice),

        // Errors common to all AWS APIs.
        ["InternalFailure"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["ServiceUnavailable"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["ServiceUnavailableException"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["RequestTimeout"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["RequestTimeoutException"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["LimitExceededException"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["TooManyRequestsException"] = new(RekognitionErrorKind.Transient, RetryAdvice),
        ["UnrecognizedClientException"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["InvalidClientTokenId"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["InvalidSignatureException"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["SignatureDoesNotMatch"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["IncompleteSignature"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["IncompleteSignatureException"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["MissingAuthenticationToken"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["MissingAuthenticationTokenException"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["ExpiredTokenException"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["RequestExpired"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["NotAuthorized"] = new(RekognitionErrorKind.Configuration, CredentialsAdvice),
        ["OptInRequired"] = new(RekognitionErrorKind.Configuration, "The account is not subscribed to Rekognition in this region."),
        ["UnknownOperationException"] = new(RekognitionErrorKind.Configuration, "The endpoint does not speak Rekognition: check CatWrangler:Aws:Rekognition:Endpoint and AWS_ENDPOINT_URL_REKOGNITION / AWS_ENDPOINT_URL."),
        ["ValidationException"] = new(RekognitionErrorKind.Configuration, "Rekognition refused the request's parameters: check CatWrangler:Aws:Rekognition."),
        ["SerializationException"] = new(RekognitionErrorKind.Configuration, "Rekognition could not read the request body: check proxies between the processor and the endpoint."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What operators should do about errors not in the table.</summary>
    public const string UnknownAdvice = "An unrecognised answer: check CatWrangler:Aws:Rekognition:Endpoint / AWS_ENDPOINT_URL_REKOGNITION and any proxy in between.";

    /// <summary>The error of a non-success response, named and classified.</summary>
    public static RekognitionException Read(HttpStatusCode status, string? errorTypeHeader, string body)
    {
        var (type, message) = FromBody(body);
        type ??= errorTypeHeader is { Length: > 0 } header ? Sanitize(header) : null;
        type = string.IsNullOrEmpty(type) ? UnknownType : type;
        message ??= body.Length > MaxMessageChars ? body[..MaxMessageChars] + "…" : body;
        return new RekognitionException(status, type, message, Classify(status, type, message));
    }

    /// <summary>Transient exactly when the SDKs' standard retry strategy retries; otherwise the table (unknown: configuration).</summary>
    public static RekognitionErrorKind Classify(HttpStatusCode status, string type, string message)
    {
        var code = (int)status;
        if (code is 429 or >= 500 and <= 599)
        {
            return RekognitionErrorKind.Transient;
        }

        // A signature that expired in flight (the SDKs retry it with a fresh signature).
        if (type == "InvalidSignatureException" && message.Contains("Signature expired", StringComparison.Ordinal))
        {
            return RekognitionErrorKind.Transient;
        }

        return Table.TryGetValue(type, out var rule) ? rule.Kind : RekognitionErrorKind.Configuration;
    }

    public static string Advice(string type) => Table.TryGetValue(type, out var rule) ? rule.Advice : UnknownAdvice;

    /// <summary>The SDKs' clean-up of an error name: <c>a,b</c> → a, <c>a:http://…</c> → a, <c>ns#a</c> → a.</summary>
    public static string Sanitize(string raw)
    {
        var clean = raw.Split(',')[0];
        clean = clean.Split(':')[0];
        return clean.Contains('#', StringComparison.Ordinal) ? clean.Split('#')[1] : clean;
    }

    private static (string? Type, string? Message) FromBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? type = null;
            string? message = null;
            string? code = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "__type":
                        type = Text(property.Value);
                        break;
                    case "message":
                        message = Text(property.Value);
                        break;
                    case "Message":
                        message ??= Text(property.Value);
                        break;
                    default:
                        if (code is null && property.Name.Equals("code", StringComparison.OrdinalIgnoreCase))
                        {
                            code = Text(property.Value);
                        }

                        break;
                }
            }

            var name = type ?? code;
            return (name is null ? null : Sanitize(name), message);
        }
        catch (JsonException)
        {
            return (null, null); // not JSON (a proxy's error page): the header or "Unknown" names it
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };
}
