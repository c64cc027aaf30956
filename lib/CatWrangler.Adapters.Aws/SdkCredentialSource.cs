using Amazon.Runtime.Credentials;

namespace CatWrangler.Adapters.Aws;

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
