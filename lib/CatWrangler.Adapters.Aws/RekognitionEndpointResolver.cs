using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace CatWrangler.Adapters.Aws;

/// <summary>
/// Rekognition's endpoint as the AWS SDKs resolve it: a configured endpoint (<c>CatWrangler:Aws:Rekognition:Endpoint</c>,
/// then <c>AWS_ENDPOINT_URL_REKOGNITION</c>, then <c>AWS_ENDPOINT_URL</c>, unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>),
/// else the service's endpoint rules: <c>rekognition[-fips].{region}.{partition DNS suffix}</c>, the dual-stack suffix when
/// asked for. The partition table (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc...) is the AWS SDK for .NET's own.
/// </summary>
public static class RekognitionEndpointResolver
{
    /// <param name="options">Region, endpoint and FIPS/dual-stack settings; nulls fall back to the environment.</param>
    /// <param name="environment">Environment variable lookup (tests pass their own).</param>
    /// <exception cref="InvalidOperationException">No region, or a combination the SDKs refuse too.</exception>
    public static RekognitionEndpoint Resolve(RekognitionOptions options, Func<string, string?> environment)
    {
        var region = options.Region is { Length: > 0 } configured ? configured : environment("AWS_REGION") is { Length: > 0 } env ? env : null;
        region ??= Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException($"No AWS region for Rekognition: set {RekognitionOptions.Section}:Region or AWS_REGION.");
        var useFips = options.UseFips ?? Flag(environment, "AWS_USE_FIPS_ENDPOINT");
        var useDualStack = options.UseDualStack ?? Flag(environment, "AWS_USE_DUALSTACK_ENDPOINT");

        if (ConfiguredEndpoint(options, environment) is { } custom)
        {
            // The service's rules refuse these combinations rather than silently ignoring a setting.
            if (useFips)
            {
                throw new InvalidOperationException($"Rekognition: FIPS and a custom endpoint ({custom}) cannot be combined.");
            }

            if (useDualStack)
            {
                throw new InvalidOperationException($"Rekognition: dual-stack and a custom endpoint ({custom}) cannot be combined.");
            }

            return new RekognitionEndpoint(custom, region);
        }

        if (!Fn.IsValidHostLabel(region, false))
        {
            throw new InvalidOperationException($"Rekognition: '{region}' is not a valid region name.");
        }

        var partition = Fn.Partition(region)
            ?? throw new InvalidOperationException($"Rekognition: no AWS partition for region '{region}'.");
        if ((useFips && !partition.supportsFIPS) || (useDualStack && !partition.supportsDualStack))
        {
            throw new InvalidOperationException($"Rekognition: the {partition.name} partition does not support the FIPS/dual-stack endpoint asked for.");
        }

        var host = useFips ? "rekognition-fips" : "rekognition";
        var suffix = useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
        return new RekognitionEndpoint(new Uri($"https://{host}.{region}.{suffix}/"), region);
    }

    private static Uri? ConfiguredEndpoint(RekognitionOptions options, Func<string, string?> environment)
    {
        if (options.Endpoint is { } endpoint)
        {
            return endpoint;
        }

        if (Flag(environment, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
        {
            return null;
        }

        var value = environment("AWS_ENDPOINT_URL_REKOGNITION") is { Length: > 0 } service ? service
            : environment("AWS_ENDPOINT_URL") is { Length: > 0 } global ? global
            : null;
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"Rekognition: the configured endpoint '{value}' is not an absolute http(s) URL.");
    }

    /// <summary>The SDKs' boolean settings: exactly <c>true</c> or <c>false</c>; anything else is a configuration error.</summary>
    private static bool Flag(Func<string, string?> environment, string name) => environment(name) switch
    {
        null or "" => false,
        "true" => true,
        "false" => false,
        var other => throw new InvalidOperationException($"{name} must be 'true' or 'false', not '{other}'."),
    };
}
