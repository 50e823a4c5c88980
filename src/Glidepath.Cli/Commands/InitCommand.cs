using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath init [DIR]</c>: copies the bundled support-agent sample, named after its folder (or <c>--app</c>).</summary>
internal static class InitCommand
{
    public static Command Build(CliEnvironment env)
    {
        var dir = new Argument<string>("DIR") { Description = "Folder to create the app in (default: the current folder)", DefaultValueFactory = _ => "." };
        var appOption = new Option<string?>("--app") { Description = "The app's name (app: in glidepath.yaml, the model callers send): lower-case letters, digits, '.', '_' or '-' (default: the folder's name)" };
        var command = new Command("init", """
            Create a new Glidepath app from the bundled sample (a customer-support agent on the simulated model),
            named after its folder (app: in glidepath.yaml; --app NAME names it otherwise).

            Examples:
              glidepath init my-agent && cd my-agent && git init && git add -A && git commit -m "sample" && glidepath release create
              glidepath init "Helpdesk Bot" --app helpdesk-bot
            """)
        {
            dir,
            appOption,
        };
        // init writes files only: the app's store is created by the first command that needs one, beside the manifest.
        UnusedGlobalOptions.Refuse(
            command,
            (GlobalOptions.Manifest, "the manifest is written to DIR/glidepath.yaml; name the app's folder as DIR (glidepath init DIR)"),
            (GlobalOptions.Store, "it writes no store; give --store to the commands after it (the first that needs the store creates it there)"),
            (GlobalOptions.Server, "it writes files in DIR on this machine and talks to no admin API; run it without --server"),
            (GlobalOptions.Token, "it talks to no admin API; run it without --token"));
        command.SetAction(env, (ctx, parse, ct) =>
        {
            var given = parse.GetValue(dir)!;
            if (string.IsNullOrWhiteSpace(given) || given.Contains('\0', StringComparison.Ordinal))
            {
                throw new BadInputException($"init: '{given}' is not a folder path; expected a folder to create the app in, e.g. glidepath init my-agent");
            }

            var target = Path.GetFullPath(given);
            var sample = SamplePath();
            if (File.Exists(target))
            {
                throw new BadInputException($"{target} is a file; expected a folder to create the app in (it may exist)");
            }

            if (File.Exists(Path.Combine(target, "glidepath.yaml")))
            {
                throw new BadInputException($"{target} already has a glidepath.yaml (an app is there); nothing was written. Choose another folder");
            }

            // Every clash is found before anything is written, so a refused init leaves the folder as it was.
            var clashes = SampleFiles(sample).Where(rel => Blocked(target, rel)).ToList();
            if (clashes.Count > 0)
            {
                var shown = string.Join(", ", clashes.Take(5)) + (clashes.Count > 5 ? $" and {clashes.Count - 5} more" : "");
                throw new BadInputException($"{target} already has {clashes.Count} of the sample's files ({shown}); nothing was written. Move them, or choose another folder");
            }

            var app = AppNameFor(parse.GetValue(appOption), target);
            List<string> copied;
            try
            {
                copied = CopyTree(sample, target);
                NameApp(target, app);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OperationalException($"cannot write the sample into {target} ({ex.Message.TrimEnd('.')}); choose a folder you can write to");
            }
            if (IgnoreStore(target))
            {
                copied.Add(".gitignore");
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { directory = target, app, files = copied });
            }
            else
            {
                ctx.Output.Line($"Created the app '{app}' from the support-agent sample in {target} ({copied.Count} files); callers send \"model\": \"{app}\" (app: in glidepath.yaml).");
                ctx.Output.Line($"Next: cd there, commit it (git init && git add -A && git commit -m \"{app} from the sample\"), then 'glidepath release create' and 'glidepath release list'.");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The sample's own name, which <see cref="NameApp"/> replaces.</summary>
    private const string SampleAppLine = "\napp: support-agent\n";

    /// <summary>
    /// <paramref name="given"/> (<c>--app</c>), or the folder's name, if it is a valid app name (as the manifest checks it);
    /// otherwise bad input saying what a name may hold and which to pass (newcomer trial L4: every app was support-agent).
    /// </summary>
    private static string AppNameFor(string? given, string target)
    {
        if (given is not null)
        {
            return AppName.IsValid(given)
                ? given
                : throw new BadInputException($"init: --app '{given}' is not a valid app name; expected {AppName.Expected}{(AppName.Suggest(given) is { } s ? $", e.g. --app {s}" : "")}; nothing was written");
        }

        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(target));
        if (AppName.IsValid(folder))
        {
            return folder;
        }

        var suggestion = AppName.Suggest(folder) ?? "my-agent";
        throw new BadInputException($"init: the folder's name '{folder}' is not a valid app name (app: in glidepath.yaml, the model callers send); " +
            $"expected {AppName.Expected}. Name the app with --app NAME, e.g. --app {suggestion}, or choose a folder so named; nothing was written");
    }

    /// <summary>Writes <paramref name="app"/> as the app's name in the copied manifest.</summary>
    private static void NameApp(string target, string app)
    {
        var manifest = Path.Combine(target, ManifestParser.FileName);
        var text = File.ReadAllText(manifest);
        var at = text.IndexOf(SampleAppLine, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new OperationalException($"the bundled sample's {ManifestParser.FileName} has no '{SampleAppLine.Trim()}' line to name the app; reinstall the tool");
        }

        File.WriteAllText(manifest, string.Concat(text.AsSpan(0, at), $"\napp: {app}\n", text.AsSpan(at + SampleAppLine.Length)));
    }

    /// <summary>The sample ships beside the tool (see Glidepath.Cli.csproj).</summary>
    public static string SamplePath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sample");
        return Directory.Exists(path) ? path : throw new OperationalException($"the bundled sample is missing from {path}; reinstall the tool");
    }

    /// <summary>
    /// What the docs have a user write in the app folder and git must not see: the local store (a store inside the work
    /// tree would make every release look dirty) and the gate's reports (<c>glidepath gate --report gate.md</c>, in
    /// docs/concepts.md and docs/eval.md: an untracked report also marks the next registration dirty).
    /// </summary>
    private static readonly string[] Ignored = [".glidepath/", "gate.md", "gate.xml", "gate.junit", "gate.json", "gate.html"];

    /// <summary>
    /// Keeps the local store and the gate's reports out of git: writes <c>.gitignore</c>, or appends the entries it lacks.
    /// Returns true when it wrote or extended <c>.gitignore</c>.
    /// </summary>
    public static bool IgnoreStore(string target)
    {
        var path = Path.Combine(target, ".gitignore");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, string.Join('\n', Ignored) + "\n");
            return true;
        }

        // Bounded, and without waiting on a FIFO: the target folder is the user's, not ours. A FIFO or socket is not
        // appended to: the write would wait for a reader.
        if (Glidepath.Files.BoundedFile.IsStream(path))
        {
            throw new BadInputException($"{path} is a named pipe or a socket, not a file; expected a .gitignore file (or none)");
        }

        var text = Glidepath.Files.BoundedFile.ReadAllText(path, 1024 * 1024) ?? throw new BadInputException($"{path}: larger than 1024 KiB; add '{string.Join("', '", Ignored)}' to it by hand");
        var lines = text.Split('\n').Select(l => l.Trim().TrimStart('/').TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var missing = Ignored.Where(entry => !lines.Contains(entry.TrimEnd('/'))).ToList();
        if (missing.Count == 0)
        {
            return false;
        }

        File.AppendAllText(path, (text.Length == 0 || text.EndsWith('\n') ? "" : "\n") + string.Join('\n', missing) + "\n");
        return true;
    }

    public static List<string> CopyTree(string source, string target)
    {
        var copied = new List<string>();
        foreach (var rel in SampleFiles(source))
        {
            var dest = Path.Combine(target, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(Path.Combine(source, rel), dest, overwrite: false);
            copied.Add(rel.Replace('\\', '/'));
        }

        return copied;
    }

    /// <summary>The sample's files, relative to it, in order; its local store (<c>.glidepath</c>) is not part of it.</summary>
    private static IEnumerable<string> SampleFiles(string source) =>
        Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(source, file))
            .Where(rel => !rel.StartsWith(".glidepath", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Whether something is already where <paramref name="rel"/> would go: the file itself, or a file where one of its folders would be.</summary>
    private static bool Blocked(string target, string rel)
    {
        var path = Path.Combine(target, rel);
        if (File.Exists(path) || Directory.Exists(path))
        {
            return true;
        }

        for (var folder = Path.GetDirectoryName(path); folder is not null && folder.Length > target.Length; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return true;
            }
        }

        return false;
    }
}
