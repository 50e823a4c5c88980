namespace Glidepath.Rollouts;

public readonly partial record struct ArmSample
{
    /// <summary>
    /// The sample without subject groups <paramref name="first"/> and <paramref name="second"/> (either −1 for none, or the
    /// same): their counts and sums taken out of the totals and the groups left empty. The sample itself when it keeps no
    /// groups or has neither. For the judge's harm side (Judge.LeaveOneOut.cs).
    /// </summary>
    public ArmSample WithoutGroups(int first, int second = -1)
    {
        if (Groups is not { } groups)
        {
            return this;
        }

        bool Present(int g) => g >= 0 && g < groups.Length && groups[g].Requests != 0;
        var (a, b) = (Present(first) ? first : -1, Present(second) && second != first ? second : -1);
        if (a < 0 && b < 0)
        {
            return this;
        }

        var kept = (ArmSample[])groups.Clone();
        var sample = this;
        foreach (var g in (ReadOnlySpan<int>)[a, b])
        {
            if (g >= 0)
            {
                sample = Totals(sample, groups[g], -1);
                kept[g] = default;
            }
        }

        return sample with { Groups = kept };
    }
}
