using Glidepath.Environments;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>The admin API's <c>GET environments/{env}/history</c>, read back for the text output.</summary>
internal sealed record HistoryAnswer(string App, string Environment, IReadOnlyList<EnvironmentEventView> Events);
