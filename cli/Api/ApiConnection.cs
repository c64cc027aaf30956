using CatWrangler.Core.Scans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Cli.Api;

/// <summary>Where the service is and who the caller is (flags, else <c>CATSCAN_URL</c>, <c>CATSCAN_CLIENT</c>, <c>CATSCAN_SECRET</c>).</summary>
public sealed record ApiConnection(Uri BaseUrl, string ClientId, string Secret)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
}
