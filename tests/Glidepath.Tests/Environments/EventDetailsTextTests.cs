using System.Text.Json;
using Glidepath.Environments;

namespace Glidepath.Tests.Environments;

public sealed class EventDetailsTextTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // Newcomer trial L8: an unfreeze stored before 2026-12-06 read "was_frozen_for":"00:00:02.2606801".
    [Fact]
    public void Line_StoredTimeSpanAndSeconds_ReadAsSeconds()
    {
        Assert.Equal("was frozen for: 2.3 s", EventDetailsText.Line(Json("""{"was_frozen_for":"00:00:02.2606801"}""")));
        Assert.Equal("was frozen for: 2.3 s", EventDetailsText.Line(Json("""{"was_frozen_for_seconds":2.261}""")));
        Assert.Equal("was frozen for: 2h0m", EventDetailsText.Line(Json("""{"was_frozen_for":"02:00:00"}""")));
        Assert.Equal("was frozen for: 26h0m", EventDetailsText.Line(Json("""{"was_frozen_for":"1.02:00:00"}""")));
    }

    [Fact]
    public void Line_LongHexIdsShortened_TimesInUtc_FlagsAsWords()
    {
        var id = new string('a', 56) + "3f9c2a1b";
        var line = EventDetailsText.Line(Json($$"""{"baseline_release_id":"{{id}}","gate_verdict_id":"gv-0123456789abcdef","frozen_at":"2026-12-06T10:00:02.5+01:00","first_release":false,"requires_met":["staging"],"note":null}"""));

        Assert.Equal("baseline release id: aaaaaaaa…; gate verdict id: gv-0123456789abcdef; frozen at: 2026-12-06 09:00:02 UTC; first release: no; requires met: staging; note: -", line);
    }

    [Fact]
    public void Pairs_NestedRecords_CountedAndOneLevelInline()
    {
        var pairs = EventDetailsText.Pairs(Json("""{"evidence":[{"metric":"error_rate"},{"metric":"latency"}],"judged_harm":{"rollout_id":"ro-1","evidence":[{"m":1}]},"steps":[]}"""));

        Assert.Equal(
            [new("evidence", "2 entries"), new("judged harm", "{rollout id: ro-1, evidence: 1 entry}"), new KeyValuePair<string, string>("steps", "(none)")],
            pairs);
    }

    // Trial "lows" #3: a promotion's warning was shown twice, first in its reason and again in its details.
    [Fact]
    public void Pairs_WarningTheReasonSays_LeftOut_OtherwiseKept()
    {
        var details = Json("""{"warning":"warning: refusals were 0.11 of stable's requests","canary_requests":40}""");

        Assert.Equal("canary requests: 40", EventDetailsText.Line(details, "warning: refusals were 0.11 of stable's requests — all safe; last step passed"));
        Assert.Equal("warning: warning: refusals were 0.11 of stable's requests; canary requests: 40", EventDetailsText.Line(details, "all safe"));
        Assert.Equal(2, EventDetailsText.Pairs(details).Count);
    }

    [Fact]
    public void Pairs_NoDetails_Empty()
    {
        Assert.Empty(EventDetailsText.Pairs(null));
        Assert.Equal("", EventDetailsText.Line(Json("[]")));
    }
}
