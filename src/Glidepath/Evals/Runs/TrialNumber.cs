using System.Globalization;

namespace Glidepath.Evals.Runs;

/// <summary>
/// How a trial is named for people: 1-based and out of the run's trials (<c>trial 1 of 10</c>). JSON's <c>trial</c> fields
/// are the 0-based index, so a message beside one reads "trial 1 of 10" next to <c>"trial": 0</c>, and the "of" says
/// which count it is (trial gatejudge2 LOW 3: "trial 1" beside <c>"trial": 0</c> read as two different trials).
/// </summary>
public static class TrialNumber
{
    /// <param name="index">The trial's 0-based index, as stored and as JSON writes it.</param>
    /// <param name="trials">How many trials a case has in the run.</param>
    public static string Text(int index, int trials) =>
        string.Create(CultureInfo.InvariantCulture, $"trial {index + 1} of {Math.Max(trials, index + 1)}");
}
