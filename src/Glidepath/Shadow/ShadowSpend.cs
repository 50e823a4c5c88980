namespace Glidepath.Shadow;

/// <summary>What a shadow has used so far: its stored pairs and the candidate's model cost over them.</summary>
public readonly record struct ShadowSpend(long Pairs, double CostUsd)
{
    /// <summary>True when a cap of <paramref name="shadow"/> is reached: no further request may be mirrored.</summary>
    public bool Reached(Environments.ShadowState shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        return (shadow.MaxCostUsd is { } cost && CostUsd >= cost) || (shadow.MaxRequests is { } max && Pairs >= max);
    }
}
