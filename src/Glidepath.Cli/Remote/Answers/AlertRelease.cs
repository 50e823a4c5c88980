namespace Glidepath.Cli.Remote.Answers;

/// <summary>The release of a listed alert, as its webhook body names it.</summary>
internal sealed record AlertRelease(string Id, string Label);
