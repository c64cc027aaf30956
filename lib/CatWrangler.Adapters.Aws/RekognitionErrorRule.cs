namespace CatWrangler.Adapters.Aws;

/// <summary>One row of <see cref="RekognitionErrors.Table"/>: the kind of an error name and what an operator should check.</summary>
public sealed record RekognitionErrorRule(RekognitionErrorKind Kind, string Advice);
