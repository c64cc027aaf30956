using Amazon.Runtime.Credentials;

namespace CatWrangler.Adapters.Aws;

/// <summary>Where signing credentials come from; the SDK's default chain in production (env, profile, Lambda role).</summary>
public interface IAwsCredentialSource
{
    ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken);
}

/// <summary>The SDK's default credential chain; its providers cache and refresh role credentials themselves.</summary>
public sealed class SdkCredentialSource : IAwsCredentialSource
{
    public async ValueTask<AwsSigningCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync();
        var resolved = await credentials.GetCredentialsAsync();
        return new AwsSigningCredentials(resolved.AccessKey, resolved.SecretKey, resolved.UseToken ? resolved.Token : null);
    }
}
