using Glidepath.Manifests;
using Glidepath.Monitoring;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// The no_traffic bound on seeded traffic that never stops (every alert is false) and on traffic that stops: checks every
/// 5 minutes over 10 days, 1-hour windows, the same clock window on up to 7 earlier days, an alert at most once a window.
/// </summary>
public sealed class TrafficStopSimulationTests
{
    private const int Days = 10;

    private static readonly DriftPolicy Hourly = DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    });

    // Stats2 trial D1: 20 requests/h in conversations of 8 paged no_traffic on 64.8% of days. Counted per subject group,
    // conversations are independent units and the bound is the stated one: false alerts on fewer than α of days.
    [Fact]
    public void Assess_ConversationsCountedBySubjectGroup_FalseAlertsOnFewerThanAlphaOfDays()
    {
        var (alertDays, days, _) = Simulate(runs: 60, requestsPerHour: 20, perConversation: 8, bySubject: true);

        Assert.True(alertDays <= Hourly.Judge.AlphaPerMetric * days, $"{alertDays} of {days} days");
    }

    // Without a subject every request is its own unit and conversations are clusters again; the dispersion bound
    // (measured, not guaranteed) keeps such a release from paging on most days, as it did.
    [Fact]
    public void Assess_ConversationsWithoutSubjects_FalseAlertsOnFewDays()
    {
        var (alertDays, days, _) = Simulate(runs: 60, requestsPerHour: 20, perConversation: 8, bySubject: false);

        Assert.True(alertDays <= 0.05 * days, $"{alertDays} of {days} days");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Assess_SteadyTrafficStopsOnTheLastDay_AlertedWithinTheWindowAndTwoHours(bool bySubject)
    {
        var (_, _, caught) = Simulate(runs: 40, requestsPerHour: 100, perConversation: 1, bySubject, stopDay: Days - 1);

        Assert.True(caught >= 38, $"{caught} of 40 stops alerted");
    }

    private static (int AlertDays, int Days, int Caught) Simulate(int runs, double requestsPerHour, double perConversation, bool bySubject, int stopDay = int.MaxValue)
    {
        int alertDays = 0, days = 0, caught = 0;
        for (var run = 0; run < runs; run++)
        {
            var random = new Random(1000 + run);
            var stopAt = stopDay == int.MaxValue ? int.MaxValue : (stopDay * 1440) + random.Next(1440 - 180);
            var traffic = new ConversationTraffic(run, Days, requestsPerHour, perConversation, stopAt);
            var alerted = new bool[Days];
            var checkedDays = new bool[Days];
            var last = DateTimeOffset.MinValue;
            var stopCaught = false;
            for (var now = ConversationTraffic.Start.AddMinutes(5); now <= ConversationTraffic.Start.AddDays(Days); now = now.AddMinutes(5))
            {
                if (DriftWindows.For(ConversationTraffic.Start, now, Hourly) is not { } windows)
                {
                    continue;
                }

                var minute = (int)(now - ConversationTraffic.Start).TotalMinutes;
                var reference = windows.ReferenceWindows.Select(w => bySubject ? traffic.ActiveGroups(w.From, w.To) : traffic.Requests(w.From, w.To)).ToList();
                var recent = bySubject ? traffic.ActiveGroups(windows.RecentFrom, windows.RecentTo) : traffic.Requests(windows.RecentFrom, windows.RecentTo);
                var evidence = TrafficStop.Assess(recent, reference, Hourly);
                var day = (minute - 1) / 1440;
                checkedDays[day] |= minute <= stopAt;
                if (evidence.Verdict == "harm" && now - last >= Hourly.RecentWindow)
                {
                    last = now;
                    alerted[day] |= minute <= stopAt;
                    stopCaught |= minute > stopAt && minute <= stopAt + 60 + 120;
                }
            }

            alertDays += alerted.Count(a => a);
            days += checkedDays.Count(c => c);
            caught += stopCaught ? 1 : 0;
        }

        return (alertDays, days, caught);
    }
}
