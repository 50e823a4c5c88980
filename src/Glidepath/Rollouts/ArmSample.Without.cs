namespace Glidepath.Rollouts;

public readonly partial record struct ArmSample
{
    /// <summary>
    /// The sample without subject group <paramref name="group"/>: its counts and sums taken out of the totals and the group
    /// left empty. The sample itself when it keeps no groups or has no such group. For the judge's harm side
    /// (Judge.LeaveOneOut.cs).
    /// </summary>
    public ArmSample WithoutGroup(int group)
    {
        if (Groups is not { } groups || group < 0 || group >= groups.Length || groups[group].Requests == 0)
        {
            return this;
        }

        var kept = (ArmSample[])groups.Clone();
        kept[group] = default;
        return Totals(this, groups[group], -1) with { Groups = kept };
    }
}
