namespace CatWrangler.ServiceDefaults;

/// <summary>The body of a healthy <c>/healthz</c> answer.</summary>
public sealed record HealthStatus(string Status);
