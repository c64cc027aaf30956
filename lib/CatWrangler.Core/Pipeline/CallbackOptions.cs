using System.ComponentModel.DataAnnotations;
using System.Net;
using CatWrangler.Core.Net;

namespace CatWrangler.Core.Pipeline;

/// <summary>Section <c>CatWrangler:Callbacks</c>.</summary>
public sealed record CallbackOptions
{
    public const string Section = "CatWrangler:Callbacks";

    /// <summary>Allows http and loopback/private/link-local callback targets (local development only).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Deliveries in flight at once, over all receivers (the delivery pool's size).</summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentDeliveries { get; init; } = 16;

    /// <summary>Deliveries in flight at once to one receiver (scheme, host and port), so one slow receiver cannot take the pool.</summary>
    [Range(1, int.MaxValue)]
    public int MaxConcurrentPerDestination { get; init; } = 2;
}
