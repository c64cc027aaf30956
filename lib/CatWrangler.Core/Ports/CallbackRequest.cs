namespace CatWrangler.Core.Ports;

/// <summary>One signed callback attempt: a JSON body POSTed to <paramref name="Url"/> with the given headers.</summary>
public sealed record CallbackRequest(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);
