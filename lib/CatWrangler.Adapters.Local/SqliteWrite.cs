using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CatWrangler.Adapters.Local;

/// <summary>One write's handle on the shared transaction of a group commit.</summary>
public sealed class SqliteWrite(SqliteTransaction transaction)
{
    public SqliteCommand Command(string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
