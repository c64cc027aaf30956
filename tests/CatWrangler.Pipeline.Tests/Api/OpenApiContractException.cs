namespace CatWrangler.Pipeline.Tests.Api;

/// <summary>A live response that the served OpenAPI document does not describe.</summary>
public sealed class OpenApiContractException(string message) : Exception(message);
