namespace Glidepath.Storage.Postgres;

/// <summary>The shared store: <c>postgres://user@host:port/database</c> (a password after <c>user:</c>, percent-encoded, or in PGPASSWORD), <c>postgresql://…</c> or an Npgsql connection string.</summary>
public sealed class PostgresStoreProvider : IStoreProvider
{
    public string Name => "postgres";

    public string Forms => "postgres://user@host:5432/database[?schema=glidepath] with the password in PGPASSWORD (or an Npgsql connection string, Host=…;Database=…)";

    public bool Handles(string location) => location is not null && PostgresLocation.IsPostgres(location);

    public async Task<IGlidepathStore> OpenAsync(string location, bool create, TimeProvider time, CancellationToken cancellationToken) =>
        await PostgresStore.OpenAsync(PostgresLocation.Parse(location), create, cancellationToken).ConfigureAwait(false);

    public Task<Schema.StoreMigration> MigrateAsync(string location, CancellationToken cancellationToken) =>
        PostgresStore.MigrateAsync(PostgresLocation.Parse(location), cancellationToken);

    /// <summary>A PostgreSQL store is backed up with the server's own tools: glidepath says which.</summary>
    public Task<StoreBackup> BackupAsync(string location, string file, bool force, CancellationToken cancellationToken) =>
        throw new Errors.BadInputException("a PostgreSQL store is backed up with PostgreSQL's own tools, not 'glidepath store backup': "
            + "pg_dump --format=custom --file=FILE (add --schema=NAME for a store in a schema other than the default), and pg_restore to put it back; see docs/stores.md");
}
