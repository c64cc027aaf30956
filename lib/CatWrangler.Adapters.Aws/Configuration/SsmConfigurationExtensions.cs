using Amazon.SimpleSystemsManagement;
using CatWrangler.Core;
using Microsoft.Extensions.Configuration;

namespace CatWrangler.Adapters.Aws.Configuration;

public static class SsmConfigurationExtensions
{
    /// <summary>
    /// On the aws platform with <c>CatWrangler:Aws:UseParameterStore</c> (the default), adds the parameters named by
    /// <c>CatWrangler:Aws:ParameterPaths</c> / <c>ParameterNames</c> under <c>ParameterPrefix</c> to configuration, after
    /// every other source (so SSM wins over the environment). Every host's composition calls this before binding options.
    /// </summary>
    public static IConfigurationManager AddSsmParameters(this IConfigurationManager configuration)
    {
        if (CatWranglerOptions.PlatformOf(configuration) != CatWranglerPlatform.Aws)
        {
            return configuration;
        }

        if (configuration.Sources.OfType<SsmParameterConfigurationSource>().Any())
        {
            return configuration; // added already (catscan serve adds it before preparing the model)
        }

        var options = configuration.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        if (!options.UseParameterStore)
        {
            return configuration;
        }

        var settings = new SsmParameterSettings(
            options.ParameterPrefix,
            options.ParameterPaths is { Length: > 0 } paths ? paths : ["CatWrangler"],
            options.ParameterNames,
            options.ParameterReloadInterval);
        configuration.Sources.Add(new SsmParameterConfigurationSource(
            () => new AmazonSimpleSystemsManagementClient(),
            settings,
            TimeProvider.System,
            e => Console.Error.WriteLine($"SSM parameters under {settings.Prefix} could not be re-read; keeping the last values: {e.Message}")));
        return configuration;
    }
}
