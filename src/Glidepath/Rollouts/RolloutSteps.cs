using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Rollouts;

/// <summary>Reads <c>--steps 1,5,25</c> (canary percentages) for <c>rollout start</c> and <c>rollout plan</c>.</summary>
public static class RolloutSteps
{
    /// <summary>The smallest step, as the manifest's <c>rollout.steps</c> allows.</summary>
    public const double MinStep = 0.01;

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
            // The manifest's own rule (rollout.steps): below 0.01% a step shows as 0% and needs millions of requests.
            if (!double.TryParse(part.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !(v is >= MinStep and <= 100))
            {
                throw new BadInputException($"--steps: '{part}' is not a percentage from {MinStep.ToString(CultureInfo.InvariantCulture)} to 100; expected e.g. --steps 1,5,25");
            }

            list.Add(v);
        }

        return list;
    }
}
