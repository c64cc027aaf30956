using CatWrangler.Core.Scans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Cli.Api;

/// <summary>An RFC 9457 problem from the service, or a transport failure (<see cref="Status"/> null).</summary>
public sealed record ApiError(int? Status, string Code, string Message);
