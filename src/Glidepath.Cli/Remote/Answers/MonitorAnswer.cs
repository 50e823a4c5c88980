namespace Glidepath.Cli.Remote.Answers;

/// <summary><c>monitor</c>'s JSON view read back (its stored alerts; a check's part is printed from the check itself): the alert table is printed from it, locally and through the admin API alike.</summary>
internal sealed record MonitorAnswer(string App, string Environment, IReadOnlyList<AlertRow> Alerts);
