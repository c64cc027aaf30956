using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CatWrangler.Webhooks;

/// <summary>
/// Describes what the handlers read and write by hand (raw or multipart body, query options, signature headers, response
/// headers, problem members) in the OpenAPI document. Accepts-metadata would make routing answer unknown content types
/// with a bare 415 instead of a problem body, so the request bodies are described here instead.
/// </summary>
internal static class ScanApiOpenApi
{
    public const string SubmitOperation = "SubmitScan";
    public const string PutUploadOperation = "PutUpload";
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The scheme names, one per header: the Standard Webhooks signature needs all four together.</summary>
    private static readonly (string Scheme, string Header, string Description)[] SignatureHeaders =
    [
        ("client", ApiHeaders.Client, "The calling client's id (matched exactly)."),
        ("webhookId", ApiHeaders.WebhookId, "Unique message id; the idempotency key of a POST."),
        ("webhookTimestamp", ApiHeaders.WebhookTimestamp, "Unix seconds; within 5 minutes of the server clock."),
        ("webhookSignature", ApiHeaders.WebhookSignature, "v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\"> with the client's whsec_ secret (GETs and POST /v1/uploads: empty body)."),
    ];

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, _, _) =>
        {
            AllowAbsentNulls(schema);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation, context.Description.RelativePath, context.Document);
            return Task.CompletedTask;
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Description = "Does this JPEG or PNG contain a cat? Requests are signed per Standard Webhooks; errors are RFC 9457 problem documents.";
        document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
        document.Servers = [.. (document.Servers ?? []).Select(server => new OpenApiServer { Url = server.Url?.TrimEnd('/'), Description = "This host." })];
        document.Tags = new HashSet<OpenApiTag>(
        [
            new OpenApiTag { Name = "scans", Description = "Submit images and read their scans." },
            new OpenApiTag { Name = "uploads", Description = "Two-step upload for images over the inline limit." },
            new OpenApiTag { Name = "health", Description = "Liveness for load balancers; not signed." },
        ]);

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (scheme, header, description) in SignatureHeaders)
        {
            document.Components.SecuritySchemes[scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = header,
                Description = description,
            };
        }

        if (document.Components.Schemas?.TryGetValue("ProblemDetails", out var problem) == true && problem is OpenApiSchema problemSchema)
        {
            problemSchema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            problemSchema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable error code, e.g. too_large, rate_limited, storage_full." };
            problemSchema.Properties["uploadRoute"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "On 413 too_large: the two-step upload route that takes larger images." };
            problemSchema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String };
        }
    }

    /// <summary>
    /// Nulls are left out of the JSON (<c>WhenWritingNull</c>), so a property that can be null is never required:
    /// the generator marks positional record parameters required even when nullable.
    /// </summary>
    private static void AllowAbsentNulls(OpenApiSchema schema)
    {
        if (schema.Required is null || schema.Properties is null)
        {
            return;
        }

        foreach (var (name, property) in schema.Properties)
        {
            if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null) || property is OpenApiSchema { OneOf.Count: > 0 } union && union.OneOf.Any(s => s.Type == JsonSchemaType.Null))
            {
                schema.Required.Remove(name);
            }
        }
    }

    private static void Describe(OpenApiOperation operation, string? relativePath, OpenApiDocument? document)
    {
        if (relativePath is null || !relativePath.StartsWith("v1/", StringComparison.Ordinal))
        {
            // Health checks are open to load balancers.
            operation.Security = [];
            return;
        }

        if (operation.OperationId == PutUploadOperation)
        {
            // The local upload URL is authorised by its own query signature, like a presigned S3 URL.
            operation.Security = [];
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter query && query.In == ParameterLocation.Query)
                {
                    query.Required = true;
                    query.Description = "As in the URL from POST /v1/uploads.";
                }
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The image bytes, with the Content-Type named in the upload's headers.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["image/jpeg"] = new() { Schema = Binary() },
                    ["image/png"] = new() { Schema = Binary() },
                },
            };
            return;
        }

        var requirement = new OpenApiSecurityRequirement();
        foreach (var (scheme, _, _) in SignatureHeaders)
        {
            requirement[new OpenApiSecuritySchemeReference(scheme, document)] = [];
        }

        operation.Security = [requirement];
        DescribeResponseHeaders(operation);
        if (operation.OperationId == SubmitOperation)
        {
            DescribeSubmission(operation);
        }
        else if (operation.OperationId == AnnotatedImageEndpoint.Operation
            && operation.Responses?.TryGetValue("200", out var picture) == true && picture is OpenApiResponse png)
        {
            png.Description = "The annotated picture.";
            png.Content = new Dictionary<string, OpenApiMediaType> { ["image/png"] = new() { Schema = Binary() } };
        }
    }

    private static void DescribeResponseHeaders(OpenApiOperation operation)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse writable)
            {
                continue;
            }

            writable.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (status is "429" or "503")
            {
                writable.Headers["Retry-After"] = new OpenApiHeader
                {
                    Required = true,
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
                };
            }
            else if (status == "202")
            {
                writable.Headers["Location"] = new OpenApiHeader
                {
                    Required = true,
                    Description = "The scan's URL (GET it, signed, for the result).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                };
            }
        }
    }

    private static void DescribeSubmission(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("callback_url", "Raw body only: where to POST the finished scan (signed like the request).", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" }));
        operation.Parameters.Add(Query("reference", "Raw body only: the caller's own reference, echoed back.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ScanApiEndpoints.MaxReferenceLength }));
        operation.Parameters.Add(Query("debug", "Raw body only: keep debug data (needs the 'debug' scope).", new OpenApiSchema { Type = JsonSchemaType.Boolean }));

        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "file" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["file"] = Binary(),
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
                ["image/jpeg"] = new() { Schema = Binary() },
                ["image/png"] = new() { Schema = Binary() },
                ["multipart/form-data"] = new() { Schema = form },
            },
        };
    }

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema)
        => new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema };
}
