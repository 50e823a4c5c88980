using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Rollouts;

/// <summary>
/// What one arm's counted errors in a rollout step were, read from its error traces when a decision rests on them: how
/// many of each kind, how many a caller's request can cause on one arm alone (<see cref="TraceRecord.OneArmErrors"/>: refusals of the
/// request and timeouts), and
/// which caller keys they came from. A request that only one arm's provider rejects aims itself at that arm (docs/security.md,
/// "Aiming at one arm"); the judge cannot tell such a caller from a real one, so it still counts them, and this says
/// where the errors came from for the person reading the decision.
/// </summary>
public sealed record ErrorMix
{
    /// <summary>The most error traces read per decision: the newest this many of the step.</summary>
    public const int ReadLimit = 1000;

    /// <summary>The share of the errors read, and of the refusals, above which they are said to be concentrated.</summary>
    public const double Concentrated = 0.8;

    /// <summary>Error traces read (at most <see cref="ReadLimit"/>).</summary>
    public int Read { get; init; }

    /// <summary>Whether the step had more errors than were read.</summary>
    public bool Truncated { get; init; }

    /// <summary>Each kind's count, most frequent first (ties by name): the trace's error code, else <c>status N</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Kinds { get; init; } = [];

    /// <summary>Errors among those read that a caller's request can cause on one arm alone (<see cref="TraceRecord.OneArmErrors"/>).</summary>
    public int Refusals { get; init; }

    /// <summary>Distinct caller keys among the errors read (requests without a key count as one).</summary>
    public int Keys { get; init; }

    /// <summary>Errors read that came without a caller key (a gateway without keys, or on loopback).</summary>
    public int Keyless { get; init; }

    /// <summary>The refusals and timeouts read (<see cref="Refusals"/>) per caller key, requests without a key under "".</summary>
    public IReadOnlyDictionary<string, int> RefusalsByKey { get; init; } = new Dictionary<string, int>();

    /// <summary>Each refusal or timeout read, as (caller key, "" without one; subject hash, null without one): what <see cref="NettedCallers"/> tests.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RefusalSources { get; init; } = [];

    /// <summary>
    /// The caller key the most errors read came from, of every kind (null: none came with a key), and how many: named in
    /// <see cref="Describe"/> when it holds more than half of them (outside trial segments M1: "230 provider_error (from 3
    /// keys)" when 205 came from one customer's key).
    /// </summary>
    public string? TopKey { get; init; }
    public int TopKeyCount { get; init; }

    /// <summary>Whether one caller key holds more than half of the errors read: the key <see cref="Describe"/> names.</summary>
    public bool OneKeyHoldsMost => TopKey is not null && TopKeyCount * 2 > Read;

    /// <summary>The key most of the refusals came from (null: none came with a key), and how many.</summary>
    public string? TopRefusalKey { get; init; }
    public int TopRefusalKeyCount { get; init; }

    /// <summary>
    /// Whether most of the errors read were refusals of the request or timeouts and most of those came from one caller
    /// key: what a caller sending requests only this arm's provider rejects or times out on looks like (and a real client
    /// the new model refuses).
    /// </summary>
    public bool ConcentratedRefusals =>
        Read > 0 && Refusals >= Concentrated * Read && TopRefusalKey is not null && TopRefusalKeyCount >= Concentrated * Refusals;

    /// <summary>Reads <paramref name="arm"/>'s error traces of <paramref name="releaseId"/> in the rollout's current step.</summary>
    public static async Task<ErrorMix> ReadAsync(ITraceStore traces, Rollout rollout, string releaseId, string arm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(rollout);
        var query = new TraceQuery
        {
            App = rollout.App,
            Environment = rollout.Environment,
            ReleaseId = releaseId,
            Arm = arm,
            Since = rollout.StepStartedAt,
            ErrorsOnly = true,
            Limit = ReadLimit + 1,
        };
        var list = await traces.ListAsync(query, cancellationToken).ConfigureAwait(false);
        return From(list.Count > ReadLimit ? list.Take(ReadLimit) : list, list.Count > ReadLimit);
    }

    /// <summary>The mix of <paramref name="errors"/> (each counted against its release).</summary>
    public static ErrorMix From(IEnumerable<TraceRecord> errors, bool truncated = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var refusalKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var errorKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var sources = new List<KeyValuePair<string, string?>>();
        int read = 0, refusals = 0, keyless = 0;
        foreach (var t in errors)
        {
            read++;
            var kind = t.Error ?? string.Create(CultureInfo.InvariantCulture, $"status {t.Status}");
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            keys.Add(t.KeyName ?? string.Empty);
            keyless += t.KeyName is null ? 1 : 0;
            if (t.KeyName is { } errorKey)
            {
                errorKeys[errorKey] = errorKeys.GetValueOrDefault(errorKey) + 1;
            }

            if (t.IsOneArmError)
            {
                refusals++;
                byKey[t.KeyName ?? string.Empty] = byKey.GetValueOrDefault(t.KeyName ?? string.Empty) + 1;
                sources.Add(new(t.KeyName ?? string.Empty, t.SubjectHash));
                if (t.KeyName is { } key)
                {
                    refusalKeys[key] = refusalKeys.GetValueOrDefault(key) + 1;
                }
            }
        }

        var topError = errorKeys.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault();
        var top = refusalKeys.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault();
        return new ErrorMix
        {
            Read = read,
            Truncated = truncated,
            Kinds = [.. kinds.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)],
            Refusals = refusals,
            RefusalsByKey = byKey,
            RefusalSources = sources,
            Keys = keys.Count,
            Keyless = keyless,
            TopKey = topError.Key,
            TopKeyCount = topError.Value,
            TopRefusalKey = top.Key,
            TopRefusalKeyCount = top.Value,
        };
    }

    /// <summary>
    /// One clause for a decision's reason, e.g. <c>the canary's errors this step: 230 provider_error (from 3 keys; 205 of
    /// them from key 'acme2')</c> (a key is named when it holds more than half of the errors read, whatever their kind),
    /// and, when the refusals are concentrated, what that may mean; null when none were read.
    /// </summary>
    public string? Describe(string whose)
    {
        if (Read == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"{whose} errors this step: ");
        text.AppendJoin(", ", Kinds.Select(k => string.Create(inv, $"{k.Value} {k.Key}")));
        text.Append(inv, $" (from {Sources()}{TopKeyText()}{(Truncated ? string.Create(inv, $"; the newest {Read} read") : string.Empty)})");
        if (ConcentratedRefusals)
        {
            text.Append(inv, $"; {Refusals} of them refusals of the request or timeouts, {TopRefusalKeyCount} from key '{TopRefusalKey}': a caller's requests that only this arm's provider rejects or times out on look like this (docs/security.md, \"Aiming at one arm\")");
        }

        return text.ToString();
    }

    /// <summary>
    /// Adds <c>canary_errors</c> (or <paramref name="name"/>) to a history event's details: <c>read</c>, <c>truncated</c>,
    /// <c>keys</c> (distinct caller keys, requests without a key not counted), <c>keyless</c>, and <c>top_key</c> with
    /// <c>top_key_errors</c> when one key holds more than half of the errors read.
    /// </summary>
    public void AddTo(JsonObject details, string name = "canary_errors")
    {
        ArgumentNullException.ThrowIfNull(details);
        var mix = new JsonObject
        {
            ["read"] = Read,
            ["truncated"] = Truncated,
            ["keys"] = Keys - (Keyless > 0 ? 1 : 0),
            ["keyless"] = Keyless,
        };
        if (OneKeyHoldsMost)
        {
            mix["top_key"] = TopKey;
            mix["top_key_errors"] = TopKeyCount;
        }

        details[name] = mix;
    }

    /// <summary>"; 205 of them from key 'acme2'" (or "; all from key 'k2'") when one key holds more than half of the errors read, else "".</summary>
    private string TopKeyText() => !OneKeyHoldsMost
        ? string.Empty
        : TopKeyCount == Read
            ? $"; all from key '{TopKey}'"
            : string.Create(CultureInfo.InvariantCulture, $"; {TopKeyCount} of them from key '{TopKey}'");

    /// <summary>
    /// Who the errors came from: "1 key", "3 keys", "callers without a key" (no key at all: a gateway that uses none, where
    /// "1 key" had a reader look for a key that does not exist; trial newcomer4 L7), or "2 keys and callers without one".
    /// </summary>
    private string Sources()
    {
        var named = Keys - (Keyless > 0 ? 1 : 0);
        var keys = string.Create(CultureInfo.InvariantCulture, $"{named} {(named == 1 ? "key" : "keys")}");
        return (named, Keyless) switch
        {
            (0, _) => "callers without a key",
            (_, 0) => keys,
            _ => keys + " and callers without one",
        };
    }
}
