using Npgsql;
using NpgsqlTypes;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The array parameters the set-based PostgreSQL statements unnest: one array per column of a batch's rows.</summary>
internal static class PostgresArrays
{
    /// <summary>The column of every row, as one array parameter; <paramref name="elementType"/> where Npgsql cannot infer
    /// it from the CLR type (jsonb, timestamptz, or text for an array that may hold only nulls).</summary>
    public static NpgsqlParameter<T[]> Of<TRow, T>(string name, IEnumerable<TRow> rows, Func<TRow, T> column, NpgsqlDbType? elementType = null)
    {
        var parameter = new NpgsqlParameter<T[]>(name, rows.Select(column).ToArray());
        if (elementType is { } type)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
        }

        return parameter;
    }
}
