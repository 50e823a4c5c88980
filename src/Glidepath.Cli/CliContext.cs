using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Storage;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli;

/// <summary>What one command invocation works with: the manifest, the store and the output.</summary>
internal sealed class CliContext : IAsyncDisposable
{
    private readonly ParseResult _parse;
    private Manifest? _manifest;
    private IGlidepathStore? _store;
    private bool _storeWrites;
    private NewStore? _created;
    private Remote.RemoteAdmin? _remote;
    private bool _remoteRead;

    public CliContext(ParseResult parse, CliEnvironment env)
    {
        _parse = parse;
        Env = env;
        Output = new CliOutput(env, parse.GetValue(GlobalOptions.Format) == "json");
    }

    public CliEnvironment Env { get; }

    public CliOutput Output { get; }

    /// <summary>
    /// The command that continues a run this command stopped (Ctrl-C, bad input), once one did: added as <c>resume</c> to
    /// the JSON error object, so a step that reads only stdout can resume it.
    /// </summary>
    public string? Resume { get; set; }

    public TimeProvider Time => Env.Time;

    /// <summary>The store this command has opened, null before it opens one: a store failure's message names it.</summary>
    public StoreInUse? StoreInUse => _store is null ? null : new(_store, _storeWrites);

    public Manifest Manifest => _manifest ??= ManifestParser.Load(FindManifest());

    /// <summary>The admin API named by <c>--server</c> / <c>GLIDEPATH_SERVER</c>, or null: the store is opened locally.</summary>
    public Remote.RemoteAdmin? Remote
    {
        get
        {
            if (!_remoteRead)
            {
                _remote = Glidepath.Cli.Remote.RemoteAdmin.From(_parse.GetValue(GlobalOptions.Server), _parse.GetValue(GlobalOptions.Token));
                _remoteRead = true;
            }

            return _remote;
        }
    }

    /// <summary>Opens the store named by --store, GLIDEPATH_STORE, or the default beside the manifest, creating it if needed (write commands).</summary>
    public Task<IGlidepathStore> StoreAsync(CancellationToken cancellationToken) => OpenStoreAsync(create: true, cancellationToken);

    /// <summary>Opens an existing store for a read command; a missing store is bad input, never created.</summary>
    public Task<IGlidepathStore> ExistingStoreAsync(CancellationToken cancellationToken) => OpenStoreAsync(create: false, cancellationToken);

    /// <summary>
    /// Opens an existing store for a command that only reads: as <see cref="ExistingStoreAsync"/>, and a SQLite store in a
    /// folder this process cannot write (a read-only file system) is opened read-only, with a note saying so.
    /// </summary>
    public Task<IGlidepathStore> ReadStoreAsync(CancellationToken cancellationToken) => OpenStoreAsync(create: false, cancellationToken, toRead: true);

    private async Task<IGlidepathStore> OpenStoreAsync(bool create, CancellationToken cancellationToken, bool toRead = false)
    {
        if (_store is not null)
        {
            return _store;
        }

        // Said before a missing token is: a token would not make this command go remote (newcomer trial L2).
        if (Glidepath.Cli.Remote.RemoteAdmin.ServerOf(_parse.GetValue(GlobalOptions.Server)) is { } server)
        {
            throw new BadInputException($"'{CommandPath()}' works on the store itself and cannot talk to --server {ShownUrl.Of(server)} yet; run it where the store is, or without --server / {Glidepath.Cli.Remote.RemoteAdmin.ServerVariable}");
        }

        var location = StoreLocation();
        // Only a store that can tell (a SQLite file) says it is new, so the location is a path.
        var created = create && Env.Stores.Exists(location) == false ? NewStore.At(location) : null;
        _storeWrites = !toRead;
        _store = toRead
            ? await Env.Stores.OpenToReadAsync(location, Time, cancellationToken).ConfigureAwait(false)
            : await Env.Stores.OpenAsync(location, create, Time, cancellationToken).ConfigureAwait(false);
        if (_store is SqliteStore { ReadOnlyNote: { } readOnly })
        {
            Output.Note(readOnly);
        }

        if (created is not null)
        {
            // A mistyped --store or GLIDEPATH_STORE would otherwise start a new, empty history without a word.
            Output.Note(created.CreatedNote);
            _created = created;
        }

        return _store;
    }

    /// <summary>The command as typed, without the tool's name: "release list", not "list".</summary>
    private string CommandPath()
    {
        var names = new List<string>();
        for (var result = _parse.CommandResult; result.Command is not System.CommandLine.RootCommand && result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Where the store is: --store, GLIDEPATH_STORE, or <c>.glidepath/glidepath.db</c> beside the manifest.</summary>
    public string StoreLocation()
    {
        var location = _parse.GetValue(GlobalOptions.Store) ?? Environment.GetEnvironmentVariable("GLIDEPATH_STORE");
        return string.IsNullOrWhiteSpace(location) ? Path.Combine(Manifest.BaseDirectory, ".glidepath", "glidepath.db") : location;
    }

    /// <summary>The file of the store in use (<see cref="StoreLocation"/>), or null when that store is not a file.</summary>
    public string? StoreFile() => Env.Stores.FileOf(StoreLocation());

    public string FindManifest()
    {
        var explicitPath = _parse.GetValue(GlobalOptions.Manifest);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var full = Directory.Exists(explicitPath) ? Path.Combine(explicitPath, ManifestParser.FileName) : explicitPath;
            return File.Exists(full) ? Path.GetFullPath(full) : throw new BadInputException($"{explicitPath}: no such manifest; expected a path to glidepath.yaml");
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ManifestParser.FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // With --server, a command that got here reads the app's own files: say that, rather than only "run init".
        var server = _parse.GetValue(GlobalOptions.Server) ?? Environment.GetEnvironmentVariable(Glidepath.Cli.Remote.RemoteAdmin.ServerVariable);
        throw new BadInputException(string.IsNullOrWhiteSpace(server)
            ? $"no {ManifestParser.FileName} in {Directory.GetCurrentDirectory()} or any folder above; run 'glidepath init' or pass --manifest PATH"
            : $"no {ManifestParser.FileName} in {Directory.GetCurrentDirectory()} or any folder above: '{CommandPath()}' reads the app's manifest and cannot talk to --server yet; run it in the app's folder (or pass --manifest PATH), where its store is");
    }

    /// <summary>
    /// Ends the command with <paramref name="exitCode"/>: a store this command created is taken back when the command
    /// failed before writing anything to it, so a failed command leaves no empty store behind. Returns the exit code.
    /// </summary>
    public async Task<int> FinishAsync(int exitCode)
    {
        if (exitCode == ExitCodes.Ok || _created is not { } created || _store is null)
        {
            return exitCode;
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        _store = null;
        try
        {
            if (await created.RemoveIfUnusedAsync(CancellationToken.None).ConfigureAwait(false))
            {
                Output.Note($"note: removed the new store at {created.Path} again: the command failed before writing anything to it");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Left as it is: an empty store, which the next command that writes uses.
        }

        return exitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _remote?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }
}
