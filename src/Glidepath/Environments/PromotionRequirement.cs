namespace Glidepath.Environments;

/// <summary>One unmet promotion prerequisite: what is missing and the command that would provide it.</summary>
/// <param name="Kind">requires (an environment on the promotion path), gate (a passing gate verdict) or harm (a verdict of harm by the judge, <see cref="JudgedHarms"/>).</param>
public sealed record PromotionRequirement(string Kind, string Missing, string Command)
{
    public override string ToString() => $"{Missing}; run: {Command}";
}
