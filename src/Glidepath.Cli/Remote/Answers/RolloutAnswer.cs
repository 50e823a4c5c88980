using Glidepath.Rollouts;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>A rollout change's or start's answer, read back for the text output (the decision's reason only).</summary>
internal sealed record RolloutAnswer(RolloutView Rollout, DecisionReason? Decision);
