namespace CatWrangler.Webhooks;

// TEMPORARY until the lead's Core.Security verifier lands on main.
internal static class SignatureCheck
{
    public static bool IsValid(string secret, string id, string timestamp, ReadOnlySpan<byte> body, string signatureHeader)
        => throw new NotImplementedException();
}
