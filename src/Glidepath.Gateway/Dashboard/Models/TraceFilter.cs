using System.Globalization;
using Glidepath.Errors;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>The explorer's filters, as the query string gives them, and the page's cursor.</summary>
/// <param name="Before">The id of the trace listed last on the previous page (the "Older traces" link's), or null for the newest.</param>
public sealed record TraceFilter(string? Release, string? Arm, string? Status, bool OnlineFailed, string? Key, int Limit, string? Before = null)
{
    private const int MaxText = 200;
    private const int MaxLimit = 500;
    private const int DefaultLimit = 50;
    private const int TraceIdLength = 32;

    /// <summary>
    /// The filters of <paramref name="query"/>; an empty value means "any". A value that is not one of the filter's is
    /// refused (a 400 naming it, as the admin API does), never dropped: a page listing every trace under a filter it
    /// did not apply would look filtered.
    /// </summary>
    internal static TraceFilter Parse(IQueryCollection query)
    {
        var limit = query["limit"].ToString() is { Length: > 0 } l
            ? int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n
                : throw Refused("limit", l, string.Create(CultureInfo.InvariantCulture, $"a whole number from 1 to {MaxLimit}"))
            : DefaultLimit;
        var onlineFailed = query["online_failed"].ToString() switch
        {
            "" or "false" or "0" => false,
            "true" or "on" or "1" => true,
            var other => throw Refused("online_failed", other, "true or false"),
        };
        return new TraceFilter(Text(query, "release"), OneOf(query, "arm", "stable", "canary", "shadow"), OneOf(query, "status", "failed", "ok", "cancelled"),
            onlineFailed, Text(query, "key"), limit, Cursor(query["before"].ToString()));
    }

    /// <summary>The query string of these filters (only those set) with <paramref name="before"/> as the cursor: the link to another page of the same list.</summary>
    public string Query(string? before)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is { Length: > 0 })
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("release", Release);
        Add("arm", Arm);
        Add("status", Status);
        Add("key", Key);
        Add("online_failed", OnlineFailed ? "true" : null);
        Add("limit", Limit == DefaultLimit ? null : Limit.ToString(CultureInfo.InvariantCulture));
        Add("before", before);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>
    /// The <c>before</c> cursor: a whole trace id (32 lower-case hex digits), or null for the newest page. Anything else is
    /// refused (a 400 naming it), never read as "the newest": a page listing other traces than those asked for would mislead.
    /// </summary>
    private static string? Cursor(string value) =>
        value.Length == 0 ? null
        : value.Length == TraceIdLength && value.All(char.IsAsciiHexDigitLower) ? value
        : throw new BadInputException($"traces cursor 'before' is '{(value.Length <= 40 ? value : value[..40] + "…")}'; expected a trace id (32 lower-case hex digits, as the 'Older traces' link gives); no traces are shown");

    private static string? OneOf(IQueryCollection query, string name, params ReadOnlySpan<string> allowed)
    {
        var value = query[name].ToString();
        return value.Length == 0 ? null
            : allowed.Contains(value) ? value
            : throw Refused(name, value, string.Join(", ", allowed));
    }

    private static string? Text(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } value
            ? value.Length <= MaxText ? value : throw new BadInputException($"filter '{name}' is longer than {MaxText} characters; no traces are shown")
            : null;

    private static BadInputException Refused(string name, string value, string expected) =>
        new($"filter '{name}' is '{(value.Length <= 40 ? value : value[..40] + "…")}'; expected {expected} (or nothing, for any); no traces are shown");
}
