using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Storage.InMemory;
using Glidepath.Traces;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// <c>no_traffic</c> through a stop longer than a day (trial "drift" #4: after 24 hours the stop's own first day was a
/// matched window and the check said not_enough_data for the rest of it), against a seeded store and a fake clock.
/// </summary>
public sealed class LongStopTests
{
    private const string App = "support-agent";
    private const string Env = "staging";
    private const string ReleaseId = "r1";
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>300 users' subject hashes (sha256, as the gateway makes them).</summary>
    private static readonly string[] Users = Enumerable.Range(0, 300)
        .Select(u => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"user-{u}")))).ToArray();

    private static readonly DriftPolicy Hourly = DriftPolicy.From(new Manifest
    {
        App = App,
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    });

    [Theory]
    [InlineData(4)]   // within the first day of the stop: worked before
    [InlineData(28)]  // the stop's first day is now yesterday's matched window
    [InlineData(76)]  // three days in
    [InlineData(200)] // past the seven matched days: the reference is the week before the stop
    public async Task CheckAsync_NoRequestForHoursAfterSteadyTraffic_NoTrafficHarmHoweverLongTheStop(int hoursAfterStop)
    {
        var stopAt = Start.AddDays(10).AddHours(1);
        var (service, time) = await SeedAsync(hour => hour < stopAt, quietHour: null);
        time.SetUtcNow(stopAt.AddHours(hoursAfterStop));

        var check = await service.CheckAsync(App, Env, default);

        var stop = check.Evidence.Single(e => e.Metric == TrafficStop.Metric);
        Assert.True(stop.Verdict == "harm", $"{stop.IntervalText()} {stop.ToleranceText} {stop.Verdict}");
        Assert.Contains(check.Raised, a => a.Metric == TrafficStop.Metric);
        Assert.Equal(7, check.TrafficStopReference?.Windows.Count ?? check.Windows!.Value.ReferenceCount);
        Assert.Equal(hoursAfterStop >= 24, check.TrafficStopReference is not null);
        Assert.All(check.TrafficStopReference?.Windows ?? [], w => Assert.True(w.To <= stopAt, $"{w.From:O} is inside the stop"));
    }

    // The hour 03:00–04:00 never had traffic: an empty one is not a stop, the first night or the twelfth.
    [Fact]
    public async Task CheckAsync_AnHourThatWasAlwaysQuietIsEmptyAgain_NotAStop()
    {
        var (service, time) = await SeedAsync(_ => true, quietHour: 3);
        time.SetUtcNow(Start.AddDays(12).AddHours(4));

        var check = await service.CheckAsync(App, Env, default);

        Assert.Equal("not_enough_data", check.Evidence.Single(e => e.Metric == TrafficStop.Metric).Verdict);
        Assert.Null(check.TrafficStopReference);
        Assert.Empty(check.Raised);
    }

    // A stop that began two days ago reaches the quiet hour: the windows before the stop are that quiet hour on earlier
    // days, so the empty one is still not judged a stop (only hours that had traffic before the stop are).
    [Fact]
    public async Task CheckAsync_LongStopOverAnHourThatWasAlwaysQuiet_NotAStopAtThatHour()
    {
        var stopAt = Start.AddDays(10).AddHours(20);
        var (service, time) = await SeedAsync(hour => hour < stopAt, quietHour: 3);
        time.SetUtcNow(Start.AddDays(12).AddHours(4));

        var check = await service.CheckAsync(App, Env, default);

        Assert.Equal("not_enough_data", check.Evidence.Single(e => e.Metric == TrafficStop.Metric).Verdict);
        Assert.NotNull(check.TrafficStopReference);
        Assert.Empty(check.Raised);

        time.SetUtcNow(Start.AddDays(12).AddHours(6));
        var later = await service.CheckAsync(App, Env, default);
        Assert.Equal("harm", later.Evidence.Single(e => e.Metric == TrafficStop.Metric).Verdict);
    }

    // While requests arrive nothing extra is read and the matched windows are the reference.
    [Fact]
    public async Task CheckAsync_RequestsArriving_ReferenceIsTheMatchedWindows()
    {
        var (service, time) = await SeedAsync(_ => true, quietHour: null);
        time.SetUtcNow(Start.AddDays(12).AddHours(10));

        var check = await service.CheckAsync(App, Env, default);

        Assert.Equal("safe", check.Evidence.Single(e => e.Metric == TrafficStop.Metric).Verdict);
        Assert.Null(check.TrafficStopReference);
    }

    /// <summary>
    /// Release r1 stable from <see cref="Start"/>; 13 days of seeded traffic, 30 requests an hour from 300 users, in hours
    /// <paramref name="serves"/> admits, none in <paramref name="quietHour"/> of each day.
    /// </summary>
    private static async Task<(MonitorService Service, FakeTimeProvider Time)> SeedAsync(Func<DateTimeOffset, bool> serves, int? quietHour)
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryStore();
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = App,
            Environment = Env,
            ExpectedRevision = 0,
            NewState = new EnvironmentState { App = App, Name = Env, Revision = 1, StableReleaseId = ReleaseId, StableSince = Start, StableBy = "test" },
            Event = new EnvironmentEvent { App = App, Environment = Env, Revision = 1, Kind = "deploy", Actor = "test", Time = Start, ToReleaseId = ReleaseId },
        }, default);

        var random = new Random(20261101);
        var traces = new List<TraceRecord>();
        for (var hour = Start; hour < Start.AddDays(13); hour = hour.AddHours(1))
        {
            if (!serves(hour) || hour.Hour == quietHour)
            {
                continue;
            }

            for (var i = 0; i < 30; i++)
            {
                traces.Add(new TraceRecord
                {
                    TraceId = $"{hour:yyyyMMddHH}-{i:D2}",
                    App = App,
                    Environment = Env,
                    ReleaseId = ReleaseId,
                    Arm = "stable",
                    StartedAt = hour.AddSeconds(random.Next(3600)),
                    Api = "openai",
                    Status = 200,
                    LatencyMs = 400,
                    OverheadMs = 0.2,
                    SubjectHash = Users[random.Next(Users.Length)],
                });
            }
        }

        await store.Traces.WriteBatchAsync(traces, default);
        return (new MonitorService(store, Hourly, time, notifier: null), time);
    }
}
