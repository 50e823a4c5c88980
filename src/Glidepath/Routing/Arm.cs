namespace Glidepath.Routing;

/// <summary>Which side of a split served a request; the values are the wire names (headers, traces, metrics).</summary>
public static class Arm
{
    public const string Stable = "stable";
    public const string Canary = "canary";
    public const string Shadow = "shadow";

    /// <summary>Every arm a trace can carry, in the order help and errors list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Stable, Canary, Shadow];

    /// <summary>
    /// <paramref name="value"/> when it names an arm (null stays null: any arm); otherwise bad input naming the valid
    /// arms, with a did-you-mean. <paramref name="what"/> names where the value came from (<c>--arm</c>, a query parameter).
    /// </summary>
    public static string? Checked(string? value, string what) =>
        value is null || All.Contains(value, StringComparer.Ordinal) ? value
        : throw new Errors.BadInputException($"{what} '{value}' is not an arm; expected {Stable}, {Canary} or {Shadow}{Errors.ClosestName.Suggestion(value, All)}");
}
