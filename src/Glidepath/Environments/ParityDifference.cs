namespace Glidepath.Environments;

/// <summary>One thing that differs between two environments.</summary>
/// <param name="Aspect">provider, vars, promotion_path, release or model.</param>
/// <param name="Key">What differs: a provider setting (anthropic.timeout), a var name, requires, owner, a release change.</param>
/// <param name="A">The value in the first environment (null when absent).</param>
/// <param name="B">The value in the second environment (null when absent).</param>
public sealed record ParityDifference(string Aspect, string Key, string? A, string? B);
