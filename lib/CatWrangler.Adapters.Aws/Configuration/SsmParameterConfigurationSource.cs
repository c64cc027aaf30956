using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Adapters.Aws.Configuration;

/// <summary>Adds SSM Parameter Store parameters (SecureStrings decrypted) to configuration, re-read periodically.</summary>
public sealed class SsmParameterConfigurationSource(
    Func<IAmazonSimpleSystemsManagement> createClient,
    SsmParameterSettings settings,
    TimeProvider time,
    Action<Exception> reloadFailed) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder)
        => new SsmParameterConfigurationProvider(createClient(), settings, time, reloadFailed);
}
