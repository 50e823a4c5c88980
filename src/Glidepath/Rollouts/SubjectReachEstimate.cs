namespace Glidepath.Rollouts;

/// <summary>What <see cref="SubjectReach.Estimate"/> found for one arm share.</summary>
/// <param name="Expected">The arm's effective subjects, averaged over the seeded draws of which subjects land on it.</param>
/// <param name="ShareBelow">The share of those draws below min_subjects: the chance that a rollout's split leaves the arm short.</param>
/// <param name="DaySubjects">The equally active subjects the traffic's groups imply (N² / R, see <see cref="SubjectReach"/>).</param>
public sealed record SubjectReachEstimate(double Expected, double ShareBelow, double DaySubjects);
