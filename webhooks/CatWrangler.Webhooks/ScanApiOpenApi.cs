using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CatWrangler.Webhooks;

/// <summary>
/// Describes what the handlers read by hand (raw or multipart body, signature headers) in the OpenAPI document.
/// Accepts-metadata would make routing answer unknown content types with a bare 415 instead of a problem body.
/// </summary>
internal static class ScanApiOpenApi
{
    public const string SubmitOperation = "SubmitScan";

    public static void Configure(OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        // The local upload URL is authorised by its own query signature, like a presigned S3 URL.
        if ((!context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) ?? true) || operation.OperationId == "PutUpload")
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        foreach (var (name, description) in SignatureHeaders)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = true,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (operation.OperationId == SubmitOperation)
        {
            var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            var text = new OpenApiSchema { Type = JsonSchemaType.String };
            var form = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "file" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["file"] = binary,
                    ["callback_url"] = text,
                    ["reference"] = text,
                    ["debug"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                },
            };
            var json = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "image" },
                AdditionalPropertiesAllowed = false,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["image"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "Exactly one of base64 (the file), uploadId (from POST /v1/uploads) or url (an https URL the processor fetches: no redirects, public addresses only, at most the image size limit; a failed fetch ends the scan failed with error.code image_fetch_failed, too_large, unsupported_format, truncated...).",
                        AdditionalPropertiesAllowed = false,
                        MinProperties = 1,
                        MaxProperties = 1,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["base64"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte" },
                            ["uploadId"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^upl_[0-9a-f]{32}$" },
                            ["url"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                        },
                    },
                    ["callbackUrl"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                    ["reference"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ScanApiEndpoints.MaxReferenceLength },
                    ["debug"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                },
            };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "JSON (signed over its exact UTF-8 text), the image as the raw body (options in the query: callback_url, reference, debug), or multipart/form-data.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [JsonSubmission.MediaType] = new() { Schema = json },
                    ["image/jpeg"] = new() { Schema = binary },
                    ["image/png"] = new() { Schema = binary },
                    ["multipart/form-data"] = new() { Schema = form },
                },
            };
        }

        return Task.CompletedTask;
    });

    private static readonly (string Name, string Description)[] SignatureHeaders =
    [
        (ApiHeaders.Client, "The calling client's id."),
        (ApiHeaders.WebhookId, "Unique message id; the idempotency key of a POST."),
        (ApiHeaders.WebhookTimestamp, "Unix seconds; within 5 minutes of the server clock."),
        (ApiHeaders.WebhookSignature, "v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\"> with the client's whsec_ secret (GETs: empty body)."),
    ];
}
