namespace CatWrangler.Cli.Api;

/// <summary>Either a value or an error.</summary>
public sealed record ApiResult<T>(T? Value, ApiError? Error) where T : class
{
    public static ApiResult<T> Ok(T value) => new(value, null);

    public static ApiResult<T> Fail(ApiError error) => new(null, error);
}
