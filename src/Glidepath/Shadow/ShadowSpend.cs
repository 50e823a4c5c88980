namespace Glidepath.Shadow;

/// <summary>What a shadow has used so far: its stored pairs and the candidate's model cost over them.</summary>
public readonly record struct ShadowSpend(long Pairs, double CostUsd)
{
    /// <summary>True when a cap of <paramref name="shadow"/> is reached: no further request may be mirrored.</summary>
    public bool Reached(Environments.ShadowState shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        return Reached(shadow.MaxCostUsd, shadow.MaxRequests);
    }

    /// <summary>True when the cost reached <paramref name="maxCostUsd"/> or the pairs <paramref name="maxRequests"/> (a null cap never is).</summary>
    public bool Reached(double? maxCostUsd, long? maxRequests) =>
        (maxCostUsd is { } cost && CostUsd >= cost) || (maxRequests is { } max && Pairs >= max);
}
