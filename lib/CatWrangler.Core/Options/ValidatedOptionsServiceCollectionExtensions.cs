using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CatWrangler.Core.Options;

/// <summary>The one way options are bound: from their section, checked by their data annotations when the host starts.</summary>
public static class ValidatedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> (enums case-insensitively; a value that does not convert
    /// fails naming its key), validates it with <see cref="SectionValidator{T}"/> at start, and registers the bound value
    /// itself (through <paramref name="effective"/> when a setting depends on another section) for consumers that need no
    /// reload. Registering the same options twice (several modules in <c>catscan serve</c>) binds them once.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(
        this IServiceCollection services,
        IConfiguration configuration,
        string section,
        Func<IServiceProvider, T, T>? effective = null)
        where T : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<T>) && d.ImplementationInstance is SectionValidator<T>))
        {
            return services;
        }

        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        services.TryAddSingleton(sp =>
        {
            var value = sp.GetRequiredService<IOptions<T>>().Value;
            return effective is null ? value : effective(sp, value);
        });
        return services;
    }
}
