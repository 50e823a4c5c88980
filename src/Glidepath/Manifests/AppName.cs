using System.Text.RegularExpressions;

namespace Glidepath.Manifests;

/// <summary>
/// What an app may be called (<c>app:</c> in glidepath.yaml): the model name callers send and the key of everything
/// stored for it, so lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 63.
/// </summary>
public static partial class AppName
{
    /// <summary>What a valid name looks like, for messages.</summary>
    public const string Expected = "lower-case letters, digits, '.', '_' or '-' (starting with a letter or digit, at most 63)";

    /// <summary>Whether <paramref name="name"/> is a valid app name.</summary>
    public static bool IsValid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Pattern().IsMatch(name);
    }

    /// <summary>A valid name made from <paramref name="text"/> (a folder's name), to suggest; null when nothing is left of it.</summary>
    public static string? Suggest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = Invalid().Replace(text.ToLowerInvariant(), "-").Trim('-', '.', '_');
        name = name.Length > 63 ? name[..63].TrimEnd('-', '.', '_') : name;
        return name.Length > 0 && IsValid(name) ? name : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}\\z")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9_.-]+")]
    private static partial Regex Invalid();
}
