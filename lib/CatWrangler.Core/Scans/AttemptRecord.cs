namespace CatWrangler.Core.Scans;

public sealed record AttemptRecord(int Attempt, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Error);
