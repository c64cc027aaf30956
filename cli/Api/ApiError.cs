namespace CatWrangler.Cli.Api;

/// <summary>An RFC 9457 problem from the service, or a transport failure (<see cref="Status"/> null).</summary>
public sealed record ApiError(int? Status, string Code, string Message);
