using System.Text.Json.Nodes;

namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>
/// Checks every response the API test client receives against the served OpenAPI document: the status must be documented
/// for the operation, the body must match the schema of its content type, documented required headers must be present.
/// A mismatch throws, so it fails whichever test made the request.
/// </summary>
public sealed class OpenApiValidatingHandler : DelegatingHandler
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Routes outside the API contract (the document itself).</summary>
    private static readonly string[] Unchecked = [DocumentPath];

    private readonly SemaphoreSlim _load = new(1, 1);
    private OpenApiContract? _contract;

    public OpenApiValidatingHandler()
        : base(new HttpClientHandler())
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (Unchecked.Contains(path))
        {
            return response;
        }

        var contract = await ContractAsync(request.RequestUri, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        var (documented, missing) = contract.FindResponse(request.Method, path, status);
        var errors = documented is null ? [missing!] : Check(contract, documented, response, body);
        if (errors.Count > 0)
        {
            throw new OpenApiContractException($"{request.Method} {path} → {status} does not match the OpenAPI document:\n  {string.Join("\n  ", errors)}\nbody: {body}");
        }

        return response;
    }

    private static List<string> Check(OpenApiContract contract, JsonObject documented, HttpResponseMessage response, string body)
    {
        var errors = contract.Validate(documented, response.Content.Headers.ContentType?.MediaType, body).ToList();
        foreach (var (name, header) in documented["headers"]?.AsObject() ?? [])
        {
            if (header?["required"]?.GetValue<bool>() == true && !response.Headers.Contains(name) && !response.Content.Headers.Contains(name))
            {
                errors.Add($"required header {name} is missing");
            }
        }

        return errors;
    }

    private async Task<OpenApiContract> ContractAsync(Uri requestUri, CancellationToken cancellationToken)
    {
        await _load.WaitAsync(cancellationToken);
        try
        {
            if (_contract is null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(requestUri, DocumentPath));
                using var response = await base.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                _contract = new OpenApiContract(await response.Content.ReadAsStringAsync(cancellationToken));
            }

            return _contract;
        }
        finally
        {
            _load.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _load.Dispose();
        }

        base.Dispose(disposing);
    }
}
