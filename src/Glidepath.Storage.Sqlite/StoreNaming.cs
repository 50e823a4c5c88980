using Glidepath.Errors;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Why a file named as the store is refused, in the words of the host that named it: where that host takes the store's
/// location from (<c>--store</c> in the CLI and the gateway, <c>GlidepathOptions.Store</c> in an app) and whether it
/// makes a new store where there is none (commands that write do; read commands, the gateway and the SDK never do).
/// </summary>
/// <param name="Setting">Where the location comes from, e.g. <c>--store / GLIDEPATH_STORE</c>.</param>
/// <param name="Creates">Whether this host makes a new store at a path that has none.</param>
internal sealed record StoreNaming(string Setting, bool Creates)
{
    /// <summary>The CLI's words for a command that writes (it creates a store where there is none).</summary>
    public static StoreNaming Cli { get; } = new(SqliteStoreProvider.CliSetting, Creates: true);

    /// <summary>A path that names nothing, or an empty file, where an existing store is expected.</summary>
    public BadInputException NoStore(string path) =>
        new($"{(File.Exists(path) ? $"{path} is an empty file" : $"no store at {path}")}; expected an existing store (commands that write, such as 'glidepath release create', create one). Check {Setting}");

    /// <summary>A file that is no SQLite database: bad input (a mistyped location), not a failing store.</summary>
    public BadInputException NotADatabase(string path, Exception inner) =>
        new($"{path} is not a SQLite database, so it cannot be a Glidepath store; nothing was written to it. Check {Setting}{WhatItMustName}", inner);

    /// <summary>A folder named as the store.</summary>
    public BadInputException AFolder(string path) =>
        new($"{path} is a folder; expected the path of a store file, e.g. {Path.Combine(path, "glidepath.db")}. Check {Setting}{WhatItMustName}");

    /// <summary>Another program's SQLite file named as the store.</summary>
    public BadInputException AnotherProgramsDatabase(string path) =>
        new($"{path} is a SQLite database that holds no Glidepath store (other tables); nothing was written to it. Check {Setting}{WhatItMustName}");

    private string WhatItMustName => Creates
        ? " (a path that does not exist yet gets a new store)"
        : ": it must name an existing store ('glidepath release create' makes one)";
}
