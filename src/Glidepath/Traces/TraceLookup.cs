using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Traces;

/// <summary>
/// Finds one trace of an app by its id or by a unique prefix of at least <see cref="MinPrefix"/> hex digits, the way a
/// release is named by a hash prefix; an unknown, ambiguous or malformed id is bad input (exit 2).
/// </summary>
public static class TraceLookup
{
    /// <summary>The shortest prefix accepted: 8 hex digits, as short as is still unlikely to collide.</summary>
    public const int MinPrefix = 8;

    private const int IdLength = 32;
    private const int ShownCandidates = 10;

    /// <summary>
    /// The trace <paramref name="idOrPrefix"/> names; <paramref name="hint"/> ends the "not found" message. With
    /// <paramref name="environment"/>, only that environment's traces are looked at: another environment's trace is
    /// "not found" like an unknown one, and a prefix is matched among this environment's ids only, so a reader of one
    /// environment learns nothing of another's ids (not even that they exist).
    /// </summary>
    public static async Task<TraceRecord> FindAsync(ITraceStore store, string app, string idOrPrefix, string hint, CancellationToken cancellationToken, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = idOrPrefix.Trim().ToLowerInvariant();
        if (id.Length < MinPrefix || id.Length > IdLength || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new BadInputException($"'{idOrPrefix}' is not a trace id: give the 32 hex digits of the Glidepath-Trace header, or at least {MinPrefix} of them");
        }

        if (id.Length == IdLength)
        {
            var trace = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            return trace is not null && trace.App == app && (environment is null || trace.Environment == environment)
                ? trace
                : throw new BadInputException($"no trace '{id}' for app '{app}'{In(environment)}; {hint}");
        }

        var matches = await store.ListAsync(new TraceQuery { App = app, Environment = environment, IdPrefix = id, Limit = ShownCandidates + 1 }, cancellationToken).ConfigureAwait(false);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new BadInputException($"no trace of '{app}'{In(environment)} has an id starting with '{id}'; {hint}"),
            _ => throw new BadInputException(
                $"'{id}' is ambiguous: it matches {string.Join(", ", matches.Take(ShownCandidates).Select(t => t.TraceId).Order(StringComparer.Ordinal))}"
                + (matches.Count > ShownCandidates ? " and more" : "") + "; give more hex digits"),
        };
    }

    private static string In(string? environment) => environment is null ? "" : $" in '{environment}'";
}
