namespace CatWrangler.Cli.Api;

/// <summary>Where the service is and who the caller is (flags, else <c>CATSCAN_URL</c>, <c>CATSCAN_CLIENT</c>, <c>CATSCAN_SECRET</c>).</summary>
public sealed record ApiConnection(Uri BaseUrl, string ClientId, string Secret)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
}
