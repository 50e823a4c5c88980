using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Rollouts;

/// <summary>Reads <c>--steps 1,5,25</c> (canary percentages) for <c>rollout start</c> and <c>rollout plan</c>.</summary>
public static class RolloutSteps
{
    /// <summary>The percentages, or null when the option is not given (the manifest's rollout.steps apply).</summary>
    public static List<double>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0 || v > 100)
            {
                throw new BadInputException($"--steps: '{part}' is not a percentage in (0, 100]; expected e.g. --steps 1,5,25");
            }

            list.Add(v);
        }

        return list;
    }
}
