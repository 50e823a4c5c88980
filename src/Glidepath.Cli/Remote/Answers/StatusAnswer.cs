using Glidepath.Environments;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>The admin API's <c>GET status</c>, read back for the text output.</summary>
internal sealed record StatusAnswer(string App, IReadOnlyList<EnvironmentStatusView> Environments);
