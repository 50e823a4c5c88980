using System.Diagnostics;
using Glidepath.Routing;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Chat;

/// <summary>
/// The serving core for chat, whatever hosts it: routes a call on the sticky split, applies the release, calls its
/// provider (whole or streamed) and records the trace. A host only reads its wire format into a <see cref="ChatRequest"/>
/// and writes what the <see cref="ChatCall"/> returns in that format. Thread-safe; one per served environment.
/// </summary>
public sealed partial class ChatService
{
    private readonly RoutingTableSource _routes;
    private readonly IReadOnlyDictionary<string, string> _environmentVars;
    private readonly HashSet<string> _requestVars;
    private readonly SubjectHasher _subjects;
    private readonly RepeatedLog _unservable;

    internal ChatService(ServingOptions options, RoutingTableSource routes, ServingReleases releases, ContentCapture capture, OnlineScorer online,
        ChatTraceRecorder recorder, SubjectHasher subjects, Shadow.ShadowMirror mirror, ILogger<ChatService> logger)
    {
        _routes = routes;
        _subjects = subjects;
        Releases = releases;
        Capture = capture;
        Online = online;
        Recorder = recorder;
        Mirror = mirror;
        Logger = logger;
        _unservable = new RepeatedLog(options.Time);
        App = options.Manifest.App;
        Environment = options.Environment;
        var spec = options.Manifest.FindEnvironment(options.Environment);
        _environmentVars = new Dictionary<string, string>(spec?.Vars ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        _requestVars = new HashSet<string>(spec?.RequestVars ?? [], StringComparer.OrdinalIgnoreCase);
        // Said without a store read (a release the answer could name is not known here): the whole path, in order, with
        // <REF> to fill in; deploy is refused where a promotion path is required.
        var path = spec is null ? $"'glidepath deploy <REF> --env {Environment}'" : Glidepath.Environments.FirstRelease.Describe(Glidepath.Environments.FirstRelease.Commands(options.Manifest, spec, "<REF>"), "'");
        NoStableRelease = $"environment '{Environment}' of '{App}' has no stable release yet; put one in with {path} (<REF>: a release from 'glidepath release list')";
    }

    /// <summary>What a caller is told when <see cref="Route"/> finds no stable release: the command that puts one in.</summary>
    public string NoStableRelease { get; }

    /// <summary>The app served.</summary>
    public string App { get; }

    /// <summary>The environment served.</summary>
    public string Environment { get; }

    /// <summary>The routing table in force; null before the first load.</summary>
    public RoutingTable? Routes => _routes.Current;

    internal ServingReleases Releases { get; }
    internal ContentCapture Capture { get; }
    internal OnlineScorer Online { get; }
    internal ChatTraceRecorder Recorder { get; }
    internal Shadow.ShadowMirror Mirror { get; }
    internal ILogger<ChatService> Logger { get; }

    /// <summary>
    /// Routes a call: starts its span, draws its trace id and picks its arm by its sticky key (from
    /// <paramref name="context"/> and, when it could be read, <paramref name="request"/>). Null when the environment
    /// has no stable release yet: there is nothing to route to, and nothing is traced.
    /// </summary>
    public ChatCall? Route(ChatCallContext context, ChatRequest? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = _routes.Current;
        if (table?.Stable is null)
        {
            return null;
        }

        var activity = ServingTelemetry.Source.HasListeners() ? ServingTelemetry.Source.StartActivity($"gateway {App}@{Environment}", ActivityKind.Internal) : null;
        var traceId = TraceIds.Next(context.TraceFromSpan ? activity : null, context.StartedAt);
        if (activity is not null && activity.TraceId.ToHexString() != traceId)
        {
            activity.SetTag(ServingTelemetry.TraceIdTag, traceId); // the caller's trace: the stored id is ours
        }

        Recorder.Issued(traceId);
        var key = SubjectKey.Choose(context.Subject, request?.User, request?.MetadataUserId, context.Conversation, traceId);
        var decision = table.Route(key)!.Value;
        Tag(activity, decision, key, request);
        var trace = new TraceBuilder
        {
            TraceId = traceId,
            Decision = decision,
            SubjectHash = key.HashWith(_subjects),
            StartedAt = context.StartedAt,
            Start = context.Start,
            Api = context.Api,
            KeyId = context.KeyId,
            KeyName = context.KeyName,
            Stream = request?.Stream ?? false,
        };
        return new ChatCall(this, context, trace, activity);
    }

    /// <summary>The environment's vars with the call's own over them; <c>EnvironmentOnly</c> when the call brought none (the rendered prompt is cached).</summary>
    internal (IReadOnlyDictionary<string, string> Vars, bool EnvironmentOnly) Vars(IReadOnlyDictionary<string, string>? callVars)
    {
        if (callVars is not { Count: > 0 })
        {
            return (_environmentVars, true);
        }

        var vars = new Dictionary<string, string>(_environmentVars, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in callVars)
        {
            vars[name] = value;
        }

        return (vars, false);
    }

    /// <summary>
    /// Why <paramref name="release"/>'s prompt could not be rendered with <paramref name="vars"/>. A variable nobody may
    /// set here is the release's fault: this environment cannot serve it (503, <c>configuration</c>, an error of the
    /// release). A variable callers may set (<c>request_vars</c>) that this call left out is a 400 the caller can fix;
    /// it counts against the release (<c>missing_variable</c>) only when the stable release does not need it, i.e. the
    /// candidate (<paramref name="candidate"/>: the canary or the shadow) added it. Otherwise it is a refusal like any
    /// other (<c>bad_request</c>): a caller who picks subjects that land on the canary and leaves out a variable both
    /// releases need must not be able to roll the canary back.
    /// </summary>
    internal ChatFailure PromptFailure(ServingRelease release, IReadOnlyDictionary<string, string> vars, string error, bool candidate)
    {
        var missing = Models.PromptTemplate.Variables(release.Applier.Snapshot.SystemPrompt).Where(v => !vars.ContainsKey(v)).ToList();
        if (missing.All(_requestVars.Contains))
        {
            var stable = _routes.Current?.Stable is { } s ? Models.PromptTemplate.Variables(s.Snapshot.SystemPrompt) : [];
            var added = candidate && missing.Any(v => !stable.Contains(v, StringComparer.OrdinalIgnoreCase));
            return new ChatFailure(400, ErrorKinds.InvalidRequest, error, added ? "missing_variable" : "bad_request");
        }

        var list = string.Join(", ", missing.Where(v => !_requestVars.Contains(v)).Select(v => "'" + v + "'"));
        var message = $"release {release.Label} cannot be served in environment '{Environment}': its prompt uses template variable {list}, " +
            $"which the environment does not set; set it under environments.{Environment}.vars in glidepath.yaml " +
            $"(or list it under environments.{Environment}.request_vars for callers to send)";
        LogUnservable(release.Label, message);
        return new ChatFailure(503, ErrorKinds.Unavailable, message, "configuration");
    }

    /// <summary>
    /// Why the caller's <c>tool_choice</c> cannot be honoured by <paramref name="release"/>: it names a tool that neither
    /// the release nor the request declares (a 400 the caller can fix; the provider would refuse it too). Null when it
    /// names none, or one that is declared. As with <see cref="PromptFailure"/>, it counts against the release
    /// (<c>missing_tool</c>) only when the candidate (<paramref name="candidate"/>: the canary or the shadow) dropped a
    /// tool the stable release declares, so callers written for the stable release fail on it; else it is a refusal
    /// (<c>bad_request</c>) that counts against neither arm.
    /// </summary>
    internal ChatFailure? ToolChoiceFailure(ServingRelease release, ChatOptions? caller, bool candidate)
    {
        if (caller?.ToolMode is not RequiredChatToolMode { RequiredFunctionName: { } name } || release.Applier.Declares(name) || Glidepath.Models.ReleaseApplier.Declares(caller.Tools, name))
        {
            return null;
        }

        var stable = _routes.Current?.Stable?.Snapshot.Tools;
        var dropped = candidate && stable is not null && stable.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal));

        // The release's own tool names are not listed: they may differ between the arms, and a refusal never tells the arm.
        var message = $"'tool_choice' names tool '{name}', which neither the request's 'tools' nor the release declares; name a declared tool, or let the model choose (\"auto\")";
        return new ChatFailure(400, ErrorKinds.InvalidRequest, message, dropped ? "missing_tool" : "bad_request");
    }


    private void Tag(Activity? activity, RouteDecision decision, SubjectKey key, ChatRequest? request)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("glidepath.app", App);
        activity.SetTag("glidepath.environment", Environment);
        activity.SetTag("glidepath.release", decision.Release.Label);
        activity.SetTag("glidepath.arm", decision.Arm);
        activity.SetTag("gen_ai.operation.name", "chat");
        if (request is not null)
        {
            activity.SetTag("gen_ai.request.model", request.Model);
        }

        activity.AddEvent(new ActivityEvent("feature_flag.evaluation", tags: new ActivityTagsCollection
        {
            ["feature_flag.key"] = $"{App}@{Environment}",
            ["feature_flag.provider.name"] = "glidepath",
            ["feature_flag.result.variant"] = decision.Arm,
            ["feature_flag.result.value"] = decision.Release.Label,
            ["feature_flag.result.reason"] = decision.Bucket is null ? "static" : "split",
            ["feature_flag.context.id"] = key.HashWith(_subjects),
            ["glidepath.canary.weight"] = decision.CanaryWeight,
        }));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trace {TraceId}: provider failed, answered {Status}: {Reason}")]
    internal static partial void LogProviderFailed(ILogger logger, string traceId, int status, string reason);

    /// <summary>Every request to such a release is refused alike: one entry a minute per release and reason, with the count.</summary>
    internal void LogUnservable(string release, string reason)
    {
        if (_unservable.ShouldLog(release + "\n" + reason, out var heldBack))
        {
            LogReleaseUnservable(Logger, release, heldBack > 0 ? $"{reason} (and {heldBack} more requests refused for this since the last entry)" : reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Release {Release} cannot be served: {Reason}")]
    internal static partial void LogReleaseUnservable(ILogger logger, string release, string reason);
}
