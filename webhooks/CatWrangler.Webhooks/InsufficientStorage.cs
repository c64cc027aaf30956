using Microsoft.Data.Sqlite;

namespace CatWrangler.Webhooks;

/// <summary>Recognises a write that failed for lack of space, whichever store raised it (file system or SQLite).</summary>
public static class InsufficientStorage
{
    // Unix errno (.NET puts it in IOException.HResult): ENOSPC, EDQUOT. Windows: ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL.
    private static readonly HashSet<int> OutOfSpaceResults = [28, 122, unchecked((int)0x80070027), unchecked((int)0x80070070)];

    private const int SqliteFull = 13;

    public static bool IsCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io && OutOfSpaceResults.Contains(io.HResult) || e is SqliteException { SqliteErrorCode: SqliteFull })
            {
                return true;
            }
        }

        return false;
    }
}
