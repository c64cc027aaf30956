using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CatWrangler.Adapters.Aws;

/// <summary>Long-term or session credentials (Lambda's role credentials carry a session token).</summary>
public sealed record AwsSigningCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);
