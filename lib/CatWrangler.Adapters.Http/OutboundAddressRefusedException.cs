namespace CatWrangler.Adapters.Http;

/// <summary>The host resolved to an address the <see cref="IOutboundAddressPolicy"/> refuses; no connection was opened.</summary>
public sealed class OutboundAddressRefusedException(string host)
    : Exception($"The host '{host}' resolves to an address outbound requests may not reach.")
{
    public string Host { get; } = host;
}
