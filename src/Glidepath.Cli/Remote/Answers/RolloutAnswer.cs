using Glidepath.Rollouts;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>
/// A rollout change's or start's answer, read back for the text output (the decision's reason only; a start's
/// <paramref name="Note"/>, the warning the server's plan gave, printed on stderr as a local start prints it; and
/// <paramref name="JudgedBy"/>, the controller holding the environment's lease, null when none did or the server is older).
/// </summary>
internal sealed record RolloutAnswer(RolloutView Rollout, DecisionReason? Decision, string? Note = null, string? JudgedBy = null);
