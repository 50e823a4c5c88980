namespace Glidepath.Releases;

/// <summary>One semantic difference between two releases.</summary>
/// <param name="Kind">model, parameter, option, tool_added, tool_removed, tool_changed, prompt, file_added, file_removed, file_changed.</param>
/// <param name="Name">What changed: a parameter name, tool name or file path.</param>
/// <param name="Before">The old value (scalars) or null.</param>
/// <param name="After">The new value (scalars) or null.</param>
/// <param name="Diff">A unified line diff for text content, else null.</param>
public sealed record ReleaseChange(string Kind, string Name, string? Before, string? After, string? Diff);
