namespace Glidepath.Rollouts;

/// <summary>What <see cref="SubjectReach.Estimate"/> found for one arm share.</summary>
/// <param name="Expected">The arm's effective subjects, averaged over the seeded draws of which subjects land on it.</param>
/// <param name="ShareBelow">The share of those draws below min_subjects: the chance that a rollout's split leaves the arm short.</param>
/// <param name="DaySubjects">The subjects the model spreads over the groups (light and heavy, see <see cref="SubjectReach.HeavyTailedPopulation"/>).</param>
/// <param name="DayEffective">
/// The whole day's effective subjects, after the judge's cap (<see cref="SubjectReach.DayEffective"/>): what an arm with
/// every subject would count, the ceiling of <paramref name="Expected"/>, on the same footing.
/// </param>
public sealed record SubjectReachEstimate(double Expected, double ShareBelow, double DaySubjects, double DayEffective);
