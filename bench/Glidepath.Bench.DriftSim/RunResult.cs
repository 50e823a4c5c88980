namespace Glidepath.Bench.DriftSim;

/// <summary>What one monitor saw in one simulated run.</summary>
internal sealed class RunResult
{
    public required DateTimeOffset ChangeAt { get; init; }

    /// <summary>The first check that compared anything.</summary>
    public DateTimeOffset? FirstReady { get; set; }

    /// <summary>Days (from day 0) checked while no harmful change was in effect, and those of them with an alert.</summary>
    public HashSet<int> NullDays { get; } = [];
    public HashSet<int> FalseAlarmDays { get; } = [];

    public DateTimeOffset? FirstAfterChange { get; set; }
    public DateTimeOffset? LastAfterChange { get; set; }
}
