namespace CatWrangler.Core.Scans;

public sealed record DeliveryAttempt(int Attempt, DateTimeOffset At, int? StatusCode, string Outcome, string? Error);
