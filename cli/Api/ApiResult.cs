using CatWrangler.Core.Scans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Security;
using CatWrangler.Webhooks;

namespace CatWrangler.Cli.Api;

/// <summary>Either a value or an error.</summary>
public sealed record ApiResult<T>(T? Value, ApiError? Error) where T : class
{
    public static ApiResult<T> Ok(T value) => new(value, null);

    public static ApiResult<T> Fail(ApiError error) => new(null, error);
}
