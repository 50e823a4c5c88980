// Issue 16 benchmarks, on one PostgreSQL server (GLIDEPATH_TEST_POSTGRES or --postgres):
//  1. rollback propagation: three `glidepath serve` processes on one database; N rollbacks (each followed by a
//     re-deploy, not measured; 5 warm-up rounds first); for each, the time from the rollback's commit until all three gateways serve it
//     (their /readyz revision), with LISTEN/NOTIFY (poll 5 s as a safety net) and with polling only (--poll-only,
//     200 ms, the SQLite default);
//  2. trace write throughput of one gateway's batch writer (batches of 500) on PostgreSQL (binary COPY) and SQLite.
// Usage: dotnet run -c Release --project bench/Glidepath.Bench.Propagation -- [--rollbacks 100] [--seconds 10]
using System.Diagnostics;
using System.Globalization;
using Glidepath.Bench.Propagation;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Glidepath.Storage.Sqlite;
using Npgsql;

var rollbacks = Arg("--rollbacks", 100);
var seconds = Arg("--seconds", 10);
var server = Environment.GetEnvironmentVariable("GLIDEPATH_TEST_POSTGRES") is { Length: > 0 } set
    ? set
    : "Host=127.0.0.1;Port=5432;Username=glidepath_test;Password=gp-test-only-pw;Database=postgres";
var repo = Repo.Root();
var cli = Path.Combine(repo, "src", "Glidepath.Cli", "bin", "Release", "net10.0", "Glidepath.Cli.dll");
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"build the CLI first: dotnet build src/Glidepath.Cli -c Release ({cli} is missing)");
    return 2;
}

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; PostgreSQL at {StoreProviders.Redacted(server)}");
Console.WriteLine();
Console.WriteLine($"## Rollback propagation: 3 gateways, {rollbacks} rollbacks, time from commit until all three serve it");
Console.WriteLine("| mode | p50 ms | p90 ms | p99 ms | max ms |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (mode, flags) in new[] { ("LISTEN/NOTIFY (poll 5 s as safety net)", Array.Empty<string>()), ("poll only, 200 ms", new[] { "--poll-only" }) })
{
    await using var db = await Database.CreateAsync(server);
    var samples = await Propagation.RunAsync(cli, repo, db.ConnectionString, flags, rollbacks);
    samples.Sort();
    Console.WriteLine($"| {mode} | {Pct(samples, 0.50):0.0} | {Pct(samples, 0.90):0.0} | {Pct(samples, 0.99):0.0} | {samples[^1]:0.0} |");
}

Console.WriteLine();
Console.WriteLine($"## Trace writes of one gateway's batch writer, batches of 500, {seconds} s each");
Console.WriteLine("| store | traces/s |");
Console.WriteLine("|---|---|");
await using (var db = await Database.CreateAsync(server))
{
    await using var pg = await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(db.ConnectionString, create: true, TimeProvider.System, default);
    Console.WriteLine($"| PostgreSQL (binary COPY) | {await TraceThroughput.RunAsync(pg.Traces, TimeSpan.FromSeconds(seconds)):0} |");
}

var dir = Path.Combine(Path.GetTempPath(), "gp-bench-" + Guid.NewGuid().ToString("N"));
try
{
    await using var sqlite = await SqliteStore.OpenAsync(Path.Combine(dir, "glidepath.db"), TimeProvider.System, default);
    Console.WriteLine($"| SQLite (WAL, one file) | {await TraceThroughput.RunAsync(sqlite.Traces, TimeSpan.FromSeconds(seconds)):0} |");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, recursive: true);
}

return 0;

static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

namespace Glidepath.Bench.Propagation
{
    internal sealed class Database : IAsyncDisposable
    {
        private readonly string _server;

        private Database(string server, string name)
        {
            _server = server;
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            Name = name;
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public static async Task<Database> CreateAsync(string server)
        {
            var db = new Database(server, "gp_bench_" + Guid.NewGuid().ToString("N"));
            await db.ExecAsync($"CREATE DATABASE {db.Name}");
            return db;
        }

        private async Task ExecAsync(string sql)
        {
            await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
    }

    internal static class Repo
    {
        public static string Root()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Glidepath.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("cannot find Glidepath.slnx");
        }
    }
}
