using Glidepath.Rollouts;

namespace Glidepath.Cli.Remote.Answers;

/// <summary><c>rollout status</c>'s JSON view read back: the text output is printed from it, locally and through the admin API alike.</summary>
internal sealed record RolloutStatusAnswer(RolloutView Rollout, JudgeView? Judge, ControllerAnswer? Controller, DecisionView? LastDecision, IReadOnlyList<DecisionView> Decisions);
