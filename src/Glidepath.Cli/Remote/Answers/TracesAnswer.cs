namespace Glidepath.Cli.Remote.Answers;

/// <summary><c>traces list</c>'s JSON view read back: the table is printed from it, locally and through the admin API alike.</summary>
internal sealed record TracesAnswer(string App, string Environment, IReadOnlyList<TraceRow> Traces, bool More = false);
