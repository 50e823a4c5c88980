using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Storage;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Extensions.AI;

/// <summary>What <c>AddGlidepath</c> serves: one environment of one app, from its manifest and its store. Checked when registered.</summary>
public sealed class GlidepathOptions
{
    /// <summary>The app; when set it must be the manifest's <c>app:</c> (a guard against pointing at the wrong manifest).</summary>
    public string? App { get; set; }

    /// <summary>The environment whose releases this process serves, e.g. <c>production</c>. Required.</summary>
    public string? Environment { get; set; }

    /// <summary>Path of the app's <c>glidepath.yaml</c> (relative to the current directory). Default: <c>glidepath.yaml</c>.</summary>
    public string Manifest { get; set; } = "glidepath.yaml";

    /// <summary>
    /// Where the store is: a SQLite path (or <c>sqlite:PATH</c>), or any location a provider in <see cref="StoreProviders"/>
    /// handles. Default: the <c>GLIDEPATH_STORE</c> environment variable, else <c>.glidepath/glidepath.db</c> beside the
    /// manifest. The store must exist (the CLI creates it); the SDK never creates one. Put a PostgreSQL password in the
    /// environment variable, not in code.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>A store the app has opened itself; it wins over <see cref="Store"/> and is not disposed by Glidepath.</summary>
    public IGlidepathStore? StoreInstance { get; set; }

    /// <summary>The store providers <see cref="Store"/> is opened with (SQLite; add <c>PostgresStoreProvider</c> for PostgreSQL).</summary>
    public StoreProviders StoreProviders { get; } = new StoreProviders().Add(new SqliteStoreProvider { Setting = StoreSetting });

    /// <summary>Where an app sets the store, as a message that refuses its location names it (an app has no <c>--store</c>).</summary>
    internal const string StoreSetting = "GlidepathOptions.Store / GLIDEPATH_STORE";

    /// <summary>Builds the releases' model clients; default: Glidepath's providers pipeline (Anthropic, OpenAI-compatible, sim).</summary>
    public IModelClientFactory? Models { get; set; }

    /// <summary>How often the environment's revision is read: at most 250 ms, so a rollback is followed within a second. Default 200 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Whether changes the store pushes (PostgreSQL LISTEN/NOTIFY) are followed as they come, with <see cref="PollInterval"/>
    /// as the safety net. Default true. Set false behind a connection pooler that cannot hold a LISTEN session (PgBouncer in
    /// transaction mode): the app then polls every <see cref="PollInterval"/> only, as <c>glidepath serve --poll-only</c>
    /// does. A SQLite store pushes nothing: it is always polled.
    /// </summary>
    public bool FollowPushes { get; set; } = true;

    /// <summary>The clock (tests inject a fake one).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Throws a <see cref="BadInputException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Environment))
        {
            throw new BadInputException("Glidepath option Environment is not set; expected the environment to serve, e.g. o.Environment = \"production\"");
        }

        if (string.IsNullOrWhiteSpace(Manifest))
        {
            throw new BadInputException("Glidepath option Manifest is empty; expected the path of glidepath.yaml");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMilliseconds(250))
        {
            throw new BadInputException($"Glidepath option PollInterval is {PollInterval.TotalMilliseconds} ms; expected more than 0 and at most 250 ms so a rollback is followed within a second");
        }
    }
}
