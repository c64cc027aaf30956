using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CatWrangler.Webhooks;

/// <summary>
/// What one step of handling an API request produced: the value the next step needs, or the problem that answers the
/// request. Steps return either (both convert implicitly); the handler continues with <see cref="TryGet"/>.
/// </summary>
public sealed class ApiStep<T> where T : class
{
    private readonly T? _value;
    private readonly ProblemHttpResult? _problem;

    private ApiStep(T? value, ProblemHttpResult? problem)
    {
        _value = value;
        _problem = problem;
    }

    public static implicit operator ApiStep<T>(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static implicit operator ApiStep<T>(ProblemHttpResult problem) => new(null, problem ?? throw new ArgumentNullException(nameof(problem)));

    public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        value = _value;
        problem = _problem;
        return value is not null;
    }
}
