using System.Net;

namespace CatWrangler.Adapters.Http;

/// <summary>Decides whether an outbound connection may be opened to an endpoint (called for every resolved address).</summary>
public interface IOutboundAddressPolicy
{
    bool Permits(IPEndPoint endpoint);
}
