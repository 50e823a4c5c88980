using Glidepath.Storage;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Who made a difference between the checkout's eval section and the baseline's (<see cref="BaselineFork"/>): this change
/// (the checkout differs from where it forked from the baseline's branch), the base branch (the fork point is the checkout's,
/// the baseline moved on since), or both. Reported as <c>this_change</c>, <c>base_branch</c>, <c>both</c>
/// (<see cref="StoredName"/>); null where it cannot be told.
/// </summary>
public enum ChangedBy
{
    ThisChange,
    BaseBranch,
    Both,
}
