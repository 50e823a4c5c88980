using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>A trace store whose arm statistics (what the judge reads) cannot be read; everything else reaches the real store.</summary>
internal sealed class UnreadableArmStats(ITraceStore inner) : Glidepath.Testing.ForwardingTraceStore(inner)
{
    public const string Error = "the trace aggregates are unreachable";

    public override Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Error);
}
