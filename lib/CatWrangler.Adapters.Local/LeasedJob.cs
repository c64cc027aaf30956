using CatWrangler.Core.Ports;
using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>A job leased by a local worker until <see cref="LeasedUntil"/>; after that it is visible again.</summary>
public sealed record LeasedJob(long JobId, WorkItem Item, int ReceiveCount, DateTimeOffset LeasedUntil);
