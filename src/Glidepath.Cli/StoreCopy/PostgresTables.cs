using Npgsql;

namespace Glidepath.Cli.StoreCopy;

/// <summary>The tables of a store's schema with their columns, ordered so that a table comes after every table it references.</summary>
internal static class PostgresTables
{
    public sealed record Column(string Name, string Type, bool Generated);

    public sealed record Table(string Name, IReadOnlyList<Column> Columns);

    public static async Task<List<Table>> ReadAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, List<Column>>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity = 'YES' OR c.is_generated = 'ALWAYS'
            FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = @s AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """, connection) { Parameters = { new NpgsqlParameter("s", schema) } })
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!columns.TryGetValue(reader.GetString(0), out var list))
                {
                    columns[reader.GetString(0)] = list = [];
                }

                list.Add(new Column(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }

        var references = columns.Keys.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT cl.relname, ref.relname FROM pg_constraint con
            JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE con.contype = 'f' AND n.nspname = @s
            """, connection) { Parameters = { new NpgsqlParameter("s", schema) } })
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetString(0) != reader.GetString(1) && references.TryGetValue(reader.GetString(0), out var set))
                {
                    set.Add(reader.GetString(1));
                }
            }
        }

        var ordered = new List<Table>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < columns.Count)
        {
            var ready = columns.Keys.Where(t => !done.Contains(t) && references[t].All(done.Contains)).Order(StringComparer.Ordinal).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("the store's tables reference each other in a cycle");
            }

            foreach (var t in ready)
            {
                ordered.Add(new Table(t, columns[t]));
                done.Add(t);
            }
        }

        return ordered;
    }
}
