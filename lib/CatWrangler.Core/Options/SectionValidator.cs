using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CatWrangler.Core.Options;

/// <summary>
/// Checks an options object's data annotations and names each failing setting by its full configuration key
/// (<c>CatWrangler:Api:Burst: …</c>), so a host that refuses to start says which key to fix.
/// </summary>
public sealed class SectionValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public string Section { get; } = section;

    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => $"{Section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
    }
}
