using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Shadow;
using Glidepath.Traces;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath traces list|show</c>: the requests the gateway (or SDK) recorded.</summary>
internal static class TracesCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("traces", "List and show traces: one per request through the gateway or SDK.");
        command.Add(List(env));
        command.Add(Show(env));
        return command;
    }

    private static Command List(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var release = new Option<string?>("--release") { Description = "Only traces served by this release (v7, a hash prefix, env:staging)" };
        var failed = new Option<bool>("--failed") { Description = "Only failed requests (5xx, timeouts, rate limits, provider rejections)" };
        var cancelled = new Option<bool>("--cancelled") { Description = "Only requests their caller closed before the answer ended (status 499, what cancel_rate counts; --failed lists none of them)" };
        var onlineFailed = new Option<bool>("--online-failed") { Description = "Only requests an online scorer did not pass (with --failed, --cancelled or --negative-feedback: any of them)" };
        var negativeFeedback = new Option<bool>("--negative-feedback") { Description = "Only requests with negative user feedback (a score below 0.5; with the other three: any of them)" };
        var since = new Option<string?>("--since") { Description = "Only requests that started within this long (e.g. 15m, 1h, 7d)" };
        var key = new Option<string?>("--key") { Description = "Only requests that came with the caller's key of this name ('glidepath keys list')" };
        var arm = new Option<string?>("--arm") { Description = "Only requests served on this arm: stable, canary (a rollout's candidate) or shadow (a shadow's mirrored calls, never returned to a caller)" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (default 50)", DefaultValueFactory = _ => 50 };
        bool Filtered(ParseResult p) => p.GetValue(release) is not null || p.GetValue(key) is not null || p.GetValue(arm) is not null || p.GetValue(since) is not null
            || p.GetValue(failed) || p.GetValue(cancelled) || p.GetValue(onlineFailed) || p.GetValue(negativeFeedback);
        var command = new Command("list", """
            List an environment's traces, newest first: time, release, arm, status, latency, tokens, cost, the
            online scorers' verdict, and whether the request's content was kept (content: kept), which
            'glidepath evalset add --from-trace' needs.

            Examples:
              glidepath traces list --env production --since 1h
              glidepath traces list --env production --release v7 --failed --format json
              glidepath traces list --env production --release v7 --cancelled   # what cancel_rate counts
              glidepath traces list --env production --online-failed --negative-feedback   # worth an eval case
              glidepath traces list --env production --key checkout-service --since 1d
              glidepath traces list --env production --arm shadow   # a shadow's candidate calls
            """)
        {
            environment,
            release,
            arm,
            key,
            failed,
            cancelled,
            onlineFailed,
            negativeFeedback,
            since,
            limit,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            // Said, not clamped: "--limit 0" listed one trace with exit 0, answering a question nobody asked.
            var most = parse.GetValue(limit);
            if (most < 1)
            {
                throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"--limit {most}: expected how many traces to list, at least 1"));
            }

            var onArm = Glidepath.Routing.Arm.Checked(parse.GetValue(arm), "--arm");

            if (ctx.Remote is { } remote)
            {
                var query = new List<string> { string.Create(CultureInfo.InvariantCulture, $"limit={most}") };
                void Add(string name, string? value)
                {
                    if (value is not null)
                    {
                        query.Add($"{name}={Uri.EscapeDataString(value)}");
                    }
                }

                Add("release", parse.GetValue(release));
                Add("arm", onArm);
                Add("key", parse.GetValue(key));
                Add("since", parse.GetValue(since));
                Add("failed", parse.GetValue(failed) ? "true" : null);
                Add("cancelled", parse.GetValue(cancelled) ? "true" : null);
                Add("online_failed", parse.GetValue(onlineFailed) ? "true" : null);
                Add("negative_feedback", parse.GetValue(negativeFeedback) ? "true" : null);
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/traces?{string.Join('&', query)}", ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                return WriteList(ctx, Remote.RemoteJson.Read<Remote.Answers.TracesAnswer>(json), Filtered(parse));
            }

            var store = await ctx.ReadStoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
            var app = ctx.Manifest.App;
            string? releaseId = null;
            if (parse.GetValue(release) is { } reference)
            {
                releaseId = (await ctx.ReleaseResolver(store).ResolveAsync(reference, register: false, ct)).Id;
            }

            DateTimeOffset? from = parse.GetValue(since) is { } s ? ctx.Time.GetUtcNow() - CliDurations.Parse(s, "--since", TimeSpan.Zero) : null;
            var traces = await store.Traces.ListAsync(new TraceQuery
            {
                App = app,
                Environment = spec.Name,
                ReleaseId = releaseId,
                Arm = onArm,
                Since = from,
                KeyName = parse.GetValue(key),
                ErrorsOnly = parse.GetValue(failed),
                CancelledOnly = parse.GetValue(cancelled),
                OnlineFailedOnly = parse.GetValue(onlineFailed),
                NegativeFeedbackOnly = parse.GetValue(negativeFeedback),
                Limit = most < int.MaxValue ? most + 1 : most, // one more than listed: whether more match (segments trial L1: "50 trace(s)" read as a total)
            }, ct);
            var more = traces.Count > most;
            traces = more ? [.. traces.Take(most)] : traces;
            var views = new EnvironmentViews(await store.Releases.ListAsync(app, ct));
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(TraceReports.List(app, spec.Name, traces, views, PriceTable.For(ctx.Manifest), more));
                return ExitCodes.Ok;
            }

            // The table is printed from the JSON view, so a client of the admin API prints exactly this too.
            return WriteList(ctx, Remote.RemoteJson.Read<Remote.Answers.TracesAnswer>(JsonSerializer.Serialize(TraceReports.List(app, spec.Name, traces, views, PriceTable.For(ctx.Manifest), more), CliOutput.JsonOptions)), Filtered(parse));
        });
        return command;
    }

    private static int WriteList(CliContext ctx, Remote.Answers.TracesAnswer list, bool filtered)
    {
        if (list.Traces.Count == 0)
        {
            // With filters, the gateway may well be writing traces: none of them matched.
            ctx.Output.Line(filtered
                ? $"No traces on {list.Environment} match these filters (without them: glidepath traces list --env {list.Environment})."
                : $"No traces on {list.Environment} yet. Traces are written by 'glidepath serve --env {list.Environment}'.");
            return ExitCodes.Ok;
        }

        var inv = CultureInfo.InvariantCulture;
        ctx.Output.Table(
            ["trace", "started (UTC)", "release", "arm", "status", "latency", "tokens in/out", "cost", "online", "content"],
            list.Traces.Select(t => (IReadOnlyList<string>)
            [
                t.TraceId,
                t.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", inv),
                t.Release?.Label ?? "-",
                t.Arm,
                t.Error is null ? t.Status.ToString(inv) : $"{t.Status} {t.Error}",
                string.Create(inv, $"{t.LatencyMs:0} ms"),
                string.Create(inv, $"{t.InputTokens}/{t.OutputTokens}"),
                t.CostUsd is { } usd ? string.Create(inv, $"${usd:0.000000}") : "unknown",
                t.OnlinePassed is null ? "-" : t.OnlinePassed == true ? "pass" : "FAIL",

                // 'evalset add --from-trace' needs the request's content: which traces the capture policy kept it for.
                t.ContentCaptured ? "kept" : "-",
            ]),
            title: $"{list.App} / {list.Environment}: {list.Traces.Count} trace(s), newest first{(list.More ? "; more match (the newest are listed: --limit N lists more, --since narrows them)" : "")}");
        return ExitCodes.Ok;
    }

    private static Command Show(CliEnvironment env)
    {
        var id = new Argument<string>("ID") { Description = "The trace id (the Glidepath-Trace response header), or a unique prefix of 8+ hex digits (ids the gateway makes begin with the time, so a prefix needs about 16)" };
        var command = new Command("show", """
            Show one trace: release and arm, timings (total, time to first token, gateway or SDK overhead), tokens,
            cost, status, online scores, user feedback, and the content when the capture policy kept it.

            Example:
              glidepath traces show 4bf92f3577b34da6a3ce929d0e0e4736
              glidepath traces show 4bf92f3577b34da6
            """)
        {
            id,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.ReadStoreAsync(ct);
            var trace = await TraceLookup.FindAsync(store.Traces, ctx.Manifest.App, parse.GetValue(id)!, "'glidepath traces list --env ENV' shows recent ones", ct);

            var feedback = await store.Traces.FeedbackAsync(trace.TraceId, ct);
            var views = new EnvironmentViews(await store.Releases.ListAsync(trace.App, ct));
            var pair = await ShadowPairLookup.OfTraceAsync(store.Environments, store.Shadows, trace, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(TraceReports.Show(trace, feedback, views, PriceTable.For(ctx.Manifest), pair));
                return ExitCodes.Ok;
            }

            var inv = CultureInfo.InvariantCulture;
            ctx.Output.Table(["field", "value"],
            [
                ["trace", trace.TraceId],
                ["started (UTC)", trace.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", inv)],
                ["environment", trace.Environment],
                ["release", views.Label(trace.ReleaseId)],
                ["arm", trace.Arm],
                ["api", trace.Api + (trace.Stream ? " (stream)" : "")],
                ["key", trace.KeyName is null ? "-" : $"{trace.KeyName} ({trace.KeyId})"],
                ["model", trace.Model ?? "-"],
                ["status", trace.Error is null ? trace.Status.ToString(inv) : $"{trace.Status} {trace.Error}"],
                ["provider said", trace.UpstreamStatus is null && trace.UpstreamMessage is null ? "-" : $"{trace.UpstreamStatus?.ToString(inv) ?? "?"} {trace.UpstreamMessage}".Trim()],
                ["provider attempts", trace.Attempts switch { 0 => "- (none counted)", 1 => "1", var n => string.Create(inv, $"{n} (retried)") }],
                ["finish reason", trace.FinishReason ?? "-"],
                ["total", string.Create(inv, $"{trace.LatencyMs:0.0} ms")],
                ["time to first token", trace.TimeToFirstTokenMs is { } ttft ? string.Create(inv, $"{ttft:0.0} ms") : "-"],
                [trace.Api == "sdk" ? "overhead in the app (SDK)" : "gateway overhead", string.Create(inv, $"{trace.OverheadMs:0.00} ms")],
                ["tokens in / out", string.Create(inv, $"{trace.InputTokens} / {trace.OutputTokens}")],
                ["cost", PriceTable.For(ctx.Manifest).Known(trace.Model, trace.CostUsd) is { } usd ? string.Create(inv, $"${usd:0.000000}") : $"unknown (no price for {trace.Model ?? "the model"} in prices:)"],
                ["subject", trace.SubjectHash ?? "(per request)"],
                ["online score", trace.OnlineScore is { } os ? string.Create(inv, $"{os:0.###} ({(trace.OnlinePassed == true ? "passed" : "not passed")})") : "(not sampled)"],
                .. TraceShadowRows.Of(trace, pair, views),
            ], title: $"trace {trace.TraceId}");
            if (OnlineOutcomes(trace.OnlineScoresJson) is { Count: > 0 } outcomes)
            {
                ctx.Output.Line();
                ctx.Output.Table(["online scorer", "score", "outcome", "reason"], outcomes);
            }

            if (feedback.Count > 0)
            {
                ctx.Output.Line();
                ctx.Output.Table(["feedback (UTC)", "score", "comment"],
                    feedback.Select(f => (IReadOnlyList<string>)[TableText.Time(f.Time), f.Score.ToString("0.##", inv), f.Comment ?? ""]));
            }

            ctx.Output.Line();
            if (trace.CaptureDropped is { } dropped)
            {
                ctx.Output.Line($"Capture dropped: {dropped} (the gateway kept every other field; docs/gateway.md, Traces).");
                return ExitCodes.Ok;
            }

            if (trace.InputJson is null && trace.OutputText is null)
            {
                ctx.Output.Line("Content was not captured (capture.content in glidepath.yaml: none, sampled or all).");
                return ExitCodes.Ok;
            }

            // A message's later lines are indented, so caller content cannot print a line of its own that reads as another
            // message ("\n[assistant, response] I have issued a full refund": trial attacker2).
            foreach (var (role, content) in TraceContent.Messages(trace.InputJson))
            {
                ctx.Output.Line($"[{role}] {Indented(content)}");
            }

            if (trace.OutputText is not null)
            {
                ctx.Output.Line($"[assistant, response] {Indented(trace.OutputText)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Text whose every line after the first starts with two spaces: the lines of one message under its role.</summary>
    private static string Indented(string text) => text.Replace("\n", "\n  ", StringComparison.Ordinal);

    /// <summary>Each online scorer's row (scorer, score, pass / FAIL / ERROR, reason or error) from the trace's JSON array.</summary>
    private static List<IReadOnlyList<string>> OnlineOutcomes(string? json)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (json is null)
        {
            return rows;
        }

        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return rows;
        }

        foreach (var s in doc.RootElement.EnumerateArray())
        {
            string? Text(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var error = Text("error");
            var passed = s.TryGetProperty("passed", out var p) && p.ValueKind == JsonValueKind.True;
            rows.Add(
            [
                Text("scorer") ?? "?",
                s.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble().ToString("0.###", CultureInfo.InvariantCulture) : "-",
                error is not null ? "ERROR" : s.TryGetProperty("applicable", out var a) && a.ValueKind == JsonValueKind.False ? "n/a" : passed ? "pass" : "FAIL",
                error ?? Text("reason") ?? "",
            ]);
        }

        return rows;
    }
}
