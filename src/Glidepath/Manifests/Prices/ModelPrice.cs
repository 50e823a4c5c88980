namespace Glidepath.Manifests;

/// <summary>USD per million tokens.</summary>
public sealed record ModelPrice(double Input, double Output)
{
    /// <summary>USD for one call with these token counts (prices are per million tokens): the one cost formula.</summary>
    public decimal Cost(long inputTokens, long outputTokens) => (((decimal)Input * inputTokens) + ((decimal)Output * outputTokens)) / 1_000_000m;
}
