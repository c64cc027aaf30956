using Amazon.Runtime.Credentials;

namespace CatWrangler.Adapters.Aws;

/// <summary>Where signing credentials come from; the SDK's default chain in production (env, profile, Lambda role).</summary>
public interface IAwsCredentialSource
{
    ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken);
}
