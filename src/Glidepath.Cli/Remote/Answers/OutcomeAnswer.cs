using Glidepath.Environments;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>An environment change's answer (promote, rollback, freeze, unfreeze), read back for the text output.</summary>
internal sealed record OutcomeAnswer(bool Changed, string Summary, EnvironmentStatusView Environment, EnvironmentEventView? Event, string? Note);
