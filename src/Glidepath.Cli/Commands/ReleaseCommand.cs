using System.CommandLine;
using System.Globalization;
using Glidepath.Errors;
using Glidepath.Git;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath release create|list|show|diff</c>: immutable, content-addressed releases.</summary>
internal static class ReleaseCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("release", """
            Version the change: every byte that shapes behaviour (prompt, model + parameters, tools, agent files)
            becomes one immutable, content-addressed release named v<N>.

            Refs: v7, a hash prefix (7+ hex digits), env:production, git:<rev>, working.
            """);
        command.Add(Create(env));
        command.Add(List(env));
        command.Add(Show(env));
        command.Add(Diff(env));
        return command;
    }

    private static Command Create(CliEnvironment env)
    {
        var message = new Option<string?>("--message", "-m") { Description = "Why this release exists (shown in list and history)" };
        var command = new Command("create", """
            Register the working tree's release. Registering identical content again returns the existing
            release (same id, same v<N>); formatting-only manifest edits do not change the id. Warns (stderr,
            exit 0) at glidepath.yaml:LINE for an environment's vars: key no template of the release uses.

            Example:
              glidepath release create -m "tighten the refund wording"
            """)
        {
            message,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var draft = await ReleaseDrafts.FromWorkingTreeAsync(manifest, parse.GetValue(message), ctx.StoreFile(), ctx.Time, ct);
            ctx.Env.ModelSpecs.EnsureServable(draft.CanonicalJson);
            var store = await ctx.StoreAsync(ct);
            var (release, created, added) = await store.Releases.RegisterAsync(draft, ct);

            // Where the manifest is checked with the release its environments will serve (newcomer4 M2): a vars key no
            // template uses is said here, before any deploy.
            EnvironmentVarWarnings.Print(ctx, manifest, manifest.Environments, release);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { created, release = ReleaseView.From(release), provenance = added is null ? null : ProvenanceView.From(added) });
            }
            else
            {
                var now = ReleaseProvenance.From(draft);
                var line = created
                    ? $"Created {release.Name}  {release.Id}"
                    : added is null
                        ? $"Unchanged {release.Name}  {release.Id}  (already recorded {now.At})"
                        : $"Unchanged {release.Name}  {release.Id}  now also recorded {now.At}";
                ctx.Output.Line(line, $"[bold]{Spectre.Console.Markup.Escape(line)}[/]");
                ctx.Output.Line($"  app {release.App}, {now.CommitLabel}, author {draft.Author}{(draft.Message is null ? "" : $", \"{draft.Message}\"")}");
                if (draft.Dirty)
                {
                    var changed = await GitInfo.ChangedPathsAsync(manifest.BaseDirectory, StoreOwnFiles.Under(manifest.BaseDirectory, ctx.StoreFile()), ct);
                    var named = changed.Count == 0 ? ""
                        : $" ({string.Join(", ", changed.Take(5))}{(changed.Count > 5 ? $" and {changed.Count - 5} more" : "")})";
                    ctx.Output.Note($"warning: the work tree has uncommitted changes{named}; commit them (or add files Glidepath should not see, such as a gate report, to .gitignore), then run glidepath release create again so this release ties to a clean commit.");
                }
                else if (draft.GitCommit is null)
                {
                    // The checklist's "versioned" row needs a registration from a clean commit: say so now, not at the checklist.
                    ctx.Output.Note("warning: the app is not in a git repository with a commit, so this release ties to no commit; git init, commit the app, then run glidepath release create again (the checklist's versioned row needs it).");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliEnvironment env)
    {
        var command = new Command("list", """
            List the app's releases in registration order.

            Example:
              glidepath release list --format json
            """);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.ReadStoreAsync(ct);
            var releases = await ReleaseReports.ListAsync(store.Releases, ctx.Manifest.App, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(releases);
                return ExitCodes.Ok;
            }

            if (releases.Count == 0)
            {
                ctx.Output.Line("No releases yet. Run 'glidepath release create'.");
                return ExitCodes.Ok;
            }

            // Text and JSON say the same: the first registration's commit, the newest message given, and a later clean commit
            // beside them (its message left out when it is the one the message column shows).
            ctx.Output.Table(["release", "id", "created", "author", "commit", "message", "also recorded at"],
                releases.Select(r => (IReadOnlyList<string>)[r.Name, r.Id[..Math.Min(8, r.Id.Length)], r.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), r.Author,
                    ReleaseView.Commit(r.GitCommit, r.Dirty), r.Message ?? "", r.AlsoRecordedAt is { } also ? AlsoText(also, r.Message) : ""]));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A later clean registration, as list and show print it: <c>commit 6d9572658f (clean) "first"</c>; without the message
    /// when it is <paramref name="shown"/> already.
    /// </summary>
    private static string AlsoText(ProvenanceView also, string? shown = null) =>
        $"commit {ReleaseView.Commit(also.GitCommit, also.Dirty)} (clean){(also.Message is null || also.Message == shown ? "" : $" \"{also.Message}\"")}";

    private static Command Show(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The release: v7, a hash prefix, env:NAME, git:REV or working" };
        var command = new Command("show", """
            Show what a release contains: model, parameters, tools, files and the system prompt.

            Example:
              glidepath release show v3
            """)
        {
            reference,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var release = await ctx.ReleaseResolver(store).ResolveAsync(parse.GetValue(reference)!, register: false, ct);
            var snap = release.Snapshot();
            var provenance = release.Version == 0 ? [] : await store.Releases.ProvenanceAsync(release.App, release.Id, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(ReleaseReports.Show(release, provenance));
                return ExitCodes.Ok;
            }

            var name = release.Version == 0 ? "working tree (not registered)" : release.Name;
            ctx.Output.Line($"{name}  {release.Id}");
            var view = ReleaseView.From(release, provenance);
            ctx.Output.Line($"  created {release.CreatedAt:u} by {release.Author}, commit {ReleaseView.Commit(release)}{(view.Message is null ? "" : ", \"" + view.Message + "\"")}");
            if (release.Version != 0 && view.AlsoRecordedAt is { } also)
            {
                ctx.Output.Line($"  also recorded at {AlsoText(also)} (#{also.Sequence} below)");
            }

            if (provenance.Count > 0)
            {
                ctx.Output.Line("  provenance (every registration that brought a new commit, state, author or message):");
                foreach (var record in provenance)
                {
                    ctx.Output.Line(string.Create(CultureInfo.InvariantCulture,
                        $"    #{record.Sequence}  {record.RecordedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC  {record.CommitLabel}  by {record.Author}{(record.Message is null ? "" : $"  \"{record.Message}\"")}"));
                }
            }

            // Every parameter the release sets (seed, top_p, stop… too), as diff names them.
            var parameters = ReleaseDiff.Parameters(snap.Model.Parameters);
            ctx.Output.Line($"  model   {snap.Model.Provider}/{snap.Model.Name}  {(parameters.Count == 0 ? "(no parameters)" : string.Join(' ', parameters.Select(kv => $"{kv.Key}={kv.Value}")))}");
            ctx.Output.Line($"  tools   {(snap.Tools.Count == 0 ? "(none)" : string.Join(", ", snap.Tools.Select(t => t.Name)))}");
            ctx.Output.Table(["file", "bytes", "sha256"], snap.Files.OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => (IReadOnlyList<string>)[f.Key, f.Value.Length.ToString(CultureInfo.InvariantCulture), ReleaseBuilder.HashHex(f.Value)[..12]]));
            ctx.Output.Line();
            ctx.Output.Line($"--- {snap.SystemPromptPath} ---");
            ctx.Output.Line(snap.SystemPrompt.TrimEnd('\n'));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Diff(CliEnvironment env)
    {
        var from = new Argument<string>("REF") { Description = "The older release" };
        var to = new Argument<string?>("OTHER") { Description = "The newer release (default: the working tree)", DefaultValueFactory = _ => null };
        var command = new Command("diff", """
            Semantic diff of two releases: model and parameter changes by name, tools added/removed/changed
            by schema, prompt and file changes as unified line diffs. With one ref, compares it with the
            working tree. Exit 0 either way.

            Examples:
              glidepath release diff v1 v2
              glidepath release diff env:production working
            """)
        {
            from,
            to,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var resolver = ctx.ReleaseResolver(store);
            var a = await resolver.ResolveAsync(parse.GetValue(from)!, register: false, ct);
            var b = await resolver.ResolveAsync(parse.GetValue(to) ?? "working", register: false, ct);
            var changes = ReleaseDiff.Compute(a.Snapshot(), b.Snapshot());
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { from = ReleaseView.From(a), to = ReleaseView.From(b), identical = a.Id == b.Id, changes });
                return ExitCodes.Ok;
            }

            ctx.Output.Line($"{a.Name} ({a.ShortId}) → {b.Name} ({b.ShortId})");
            if (changes.Count == 0)
            {
                ctx.Output.Line("No differences: same content, same id.");
                return ExitCodes.Ok;
            }

            foreach (var c in changes)
            {
                var line = c.Kind switch
                {
                    "model" => $"model {c.Name}: {c.Before} → {c.After}",
                    "parameter" or "option" => $"{c.Kind} {c.Name}: {c.Before ?? "(unset)"} → {c.After ?? "(unset)"}",
                    "tool_added" => $"tool added: {c.Name}",
                    "tool_removed" => $"tool removed: {c.Name}",
                    "tool_changed" => $"tool changed: {c.Name}",
                    "prompt" => $"prompt changed: {c.Name}",
                    "file_added" => $"file added: {c.Name}",
                    "file_removed" => $"file removed: {c.Name}",
                    _ => $"file changed: {c.Name}",
                };
                ctx.Output.Line("• " + line, "[bold]•[/] " + Spectre.Console.Markup.Escape(line));
                if (!string.IsNullOrEmpty(c.Diff) && c.Kind != "tool_added")
                {
                    ctx.Output.Diff(c.Diff);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
