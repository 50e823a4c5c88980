using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>tool_call</c>: the response calls the tool named in the case's <c>expect.tool_call</c>
/// (<c>{"name": …, "arguments": {…}}</c>, arguments compared as a subset), or a list of such calls: each expected call
/// needs a call of its own (two identical expected calls need two calls), in any order, and other calls are allowed.
/// <c>"tool_call": false</c> expects no tool call at all. A failure names what differed: the argument, with the expected
/// and the actual value.
/// </summary>
public sealed class ToolCallScorer(string name) : Scorer(name)
{
    private const int MaxValueChars = 40;

    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var expect = input.Case?.Expect["tool_call"];
        if (expect is null)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var calls = input.ToolCalls;
        var called = string.Join(", ", calls.Select(c => c.Name));
        if (expect is JsonValue v && v.GetValueKind() == JsonValueKind.False)
        {
            return ValueTask.FromResult<ScoreValue?>(calls.Count == 0 ? ScoreValue.Pass("called no tool") : ScoreValue.Fail($"called {called}; expected no tool call"));
        }

        var wanted = expect switch
        {
            JsonObject o => [o],
            JsonArray a => a.OfType<JsonObject>().ToList(),
            _ => throw new ScorerException("expect.tool_call must be {\"name\": …, \"arguments\": {…}}, a list of those, or false"),
        };
        var names = wanted.Select(w => w["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : throw new ScorerException("expect.tool_call needs a \"name\"")).ToList();
        var actual = calls.Select(c => Arguments(c.Arguments)).ToList();
        bool Matches(int w, int c) => calls[c].Name == names[w] && Fits(wanted[w]["arguments"] as JsonObject, actual[c].Arguments);

        var matchOf = Match(wanted.Count, calls.Count, Matches);
        var missing = Enumerable.Range(0, wanted.Count).Where(w => matchOf[w] < 0).ToList();
        if (missing.Count == 0)
        {
            return ValueTask.FromResult<ScoreValue?>(new ScoreValue(1, true, $"called {string.Join(", ", names)}"));
        }

        var why = missing.Select(w => Why(names[w], wanted[w]["arguments"] as JsonObject, names.Count(n => n == names[w]), calls, actual));
        var score = 1.0 - ((double)missing.Count / wanted.Count);
        return ValueTask.FromResult<ScoreValue?>(new ScoreValue(score, false,
            $"did not call as expected: {string.Join("; ", why.Distinct(StringComparer.Ordinal))} (called {(called.Length == 0 ? "no tool" : called)})"));
    }

    /// <summary>
    /// Which call each expected call is matched to (-1 for none), each call matched at most once: a maximum bipartite
    /// matching (augmenting paths), so an expected call is never left out because another took the one call it fits.
    /// </summary>
    private static int[] Match(int wanted, int calls, Func<int, int, bool> fits)
    {
        var callTakenBy = Enumerable.Repeat(-1, calls).ToArray();
        for (var w = 0; w < wanted; w++)
        {
            TryAssign(w, new bool[calls]);
        }

        var matchOf = Enumerable.Repeat(-1, wanted).ToArray();
        for (var c = 0; c < calls; c++)
        {
            if (callTakenBy[c] >= 0)
            {
                matchOf[callTakenBy[c]] = c;
            }
        }

        return matchOf;

        bool TryAssign(int w, bool[] seen)
        {
            for (var c = 0; c < calls; c++)
            {
                if (!seen[c] && fits(w, c))
                {
                    seen[c] = true;
                    if (callTakenBy[c] < 0 || TryAssign(callTakenBy[c], seen))
                    {
                        callTakenBy[c] = w;
                        return true;
                    }
                }
            }

            return false;
        }
    }

    // Why an expected call found no call of its own: the tool not called, called too few times, or called with an argument
    // that differs (the first that does, against the first call of that tool).
    private static string Why(string tool, JsonObject? arguments, int expectedTimes, IReadOnlyList<FunctionCallContent> calls, List<(JsonObject? Arguments, string? Repeated)> actual)
    {
        var same = Enumerable.Range(0, calls.Count).Where(c => calls[c].Name == tool).ToList();
        if (same.Count == 0)
        {
            return $"{tool} was not called";
        }

        foreach (var c in same)
        {
            if (Fits(arguments, actual[c].Arguments))
            {
                return $"{tool} called {same.Count} time(s), expected {expectedTimes}";
            }
        }

        if (actual[same[0]] is { Arguments: null, Repeated: var repeated })
        {
            return $"{tool} called with arguments that give \"{(repeated!.Length <= MaxValueChars ? repeated : repeated[..MaxValueChars] + "…")}\" twice in one object";
        }

        var first = actual[same[0]].Arguments!;
        var (key, value) = arguments!.First(kv => !first.TryGetPropertyValue(kv.Key, out var a) || !JsonNode.DeepEquals(Normalize(a), Normalize(kv.Value)));
        return first.TryGetPropertyValue(key, out var got)
            ? $"{tool} called with {key} {Text(got)}, expected {Text(value)}"
            : $"{tool} called without {key}, expected {Text(value)}";
    }

    /// <summary>
    /// A call's arguments as an object, or null with the key given twice in one of its objects: which copy the tool reads is
    /// not known, so the call matches no expected call (its <c>JsonObject</c> threw ArgumentException on comparison).
    /// </summary>
    private static (JsonObject? Arguments, string? Repeated) Arguments(IDictionary<string, object?>? arguments)
    {
        var json = ToolArguments.ToJson(arguments);
        using (var doc = JsonDocument.Parse(json))
        {
            if (JsonText.RepeatedKey(doc.RootElement) is { } repeated)
            {
                return (null, repeated);
            }
        }

        return (JsonNode.Parse(json) as JsonObject ?? [], null);
    }

    private static string Text(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > MaxValueChars ? text[..MaxValueChars] + "…" : text;
    }

    // A call whose arguments give a key twice (null) fits only an expected call that names no arguments.
    private static bool Fits(JsonObject? expected, JsonObject? actual) => expected is null || (actual is not null && ArgumentsMatch(expected, actual));

    private static bool ArgumentsMatch(JsonObject expected, JsonObject actual) =>
        expected.All(kv => actual.TryGetPropertyValue(kv.Key, out var a) && JsonNode.DeepEquals(Normalize(a), Normalize(kv.Value)));

    // Tools often receive numbers as strings ("42" vs 42); compare their text.
    private static JsonNode? Normalize(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? JsonValue.Create(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : n;
}
