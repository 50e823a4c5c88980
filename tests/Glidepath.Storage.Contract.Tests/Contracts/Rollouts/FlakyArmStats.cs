using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>A trace store whose arm statistics (what the judge reads) fail while <see cref="Down"/>: a store outage as a pass sees it.</summary>
internal sealed class FlakyArmStats(ITraceStore inner) : Glidepath.Testing.ForwardingTraceStore(inner)
{
    public const string Error = "the store is unreachable";

    public bool Down { get; set; }

    public override Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        Down ? throw new InvalidOperationException(Error) : base.ArmStatsAsync(app, environment, since, until, cancellationToken);
}
