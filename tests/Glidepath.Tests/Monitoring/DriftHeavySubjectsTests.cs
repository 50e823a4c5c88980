using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// The drift monitor weighs subjects as the canary judge does, with its cap of heavy subjects (no subject group above
/// three median groups): without it (outside trial drift3), honest heavy-tailed traffic whose busiest user sent a fifth of
/// the requests, or one caller with a third of them, made every metric not_enough_data, and a real error rise raised
/// nothing while the check exited 0.
/// </summary>
public sealed class DriftHeavySubjectsTests
{
    private static readonly DriftMonitor Monitor = DriftOneArmTests.Monitor; // error_rate at max_increase 0.01

    /// <summary>A window of 64 subject groups, each with (requests, errors) from <paramref name="group"/>.</summary>
    private static ArmSample Window(Func<int, (int Requests, int Errors)> group) =>
        DriftOneArmTests.Window(SubjectGroups.Count, g => group(g) is var (n, errors) ? (n, errors, 0) : default);

    [Theory]
    [InlineData(1_000)] // the busiest user sends about a fifth of the requests: Kish's count 18.6 before the cap
    [InlineData(2_100)] // one caller with about a third of them: 7.9 before the cap
    public void Evidence_OneHeavySubjectAndARealErrorRise_Drifted(int heaviest)
    {
        var reference = Window(g => g == 0 ? (heaviest, 0) : (60, 0));
        var recent = Window(g => g == 0 ? (heaviest, heaviest * 4 / 100) : (60, g % 2 == 0 ? 3 : 2)); // about 4% everywhere

        var evidence = Monitor.Evidence(recent, reference).Single(e => e.Metric == "error_rate");

        Assert.Equal("harm", evidence.Verdict);
        Assert.True(evidence.CanaryNBeforeCap > evidence.CanaryN, $"n {evidence.CanaryN}, before the cap {evidence.CanaryNBeforeCap}");
        Assert.True(Monitor.HasDrifted(recent, reference));
    }

    [Fact]
    public void Evidence_OneHeavySubjectAndNoChange_NoDrift()
    {
        var window = Window(g => g == 0 ? (2_100, 21) : (60, g % 3 == 0 ? 1 : 0));

        Assert.DoesNotContain(Monitor.Evidence(window, window), e => e.Verdict == "harm");
        Assert.False(Monitor.HasDrifted(window, window));
    }

    [Fact]
    public void SubjectShortfall_FewSubjectsSendEverything_NamesTheBusiestShareAndMinSubjects_NotALongerWindow()
    {
        // 8 subjects, one of them sending half: however long the window, Kish's count stays below 20.
        var window = Window(g => g switch { 0 => (700, 7), < 8 => (100, 1), _ => (0, 0) });

        var evidence = Monitor.Evidence(window, window);
        var shortfall = Monitor.SubjectShortfall(window, window, evidence, "production");

        Assert.Equal("not_enough_data", evidence.Single(e => e.Metric == "error_rate").Verdict);
        Assert.StartsWith("the busiest subject group holds 50% of the recent 1h window's requests and 50% of the reference's", shortfall, StringComparison.Ordinal);
        Assert.Contains("rollout.step.min_subjects (20)", shortfall, StringComparison.Ordinal);
        Assert.Contains("glidepath traces list --env production --key NAME", shortfall, StringComparison.Ordinal);
        Assert.Null(Monitor.SubjectShortfall(Window(_ => (60, 1)), Window(_ => (60, 1)), Monitor.Evidence(Window(_ => (60, 1)), Window(_ => (60, 1))), "production"));
    }
}
