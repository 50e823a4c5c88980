namespace Glidepath.Cli;

/// <summary>Writes words for a POSIX shell (sh, bash, zsh), so a printed command runs as shown when copied.</summary>
internal static class PosixShell
{
    /// <summary>
    /// The word as typed: as it is when every character is plain (letters, digits, <c>_@%+=:,./-</c>), else in single
    /// quotes, inside which a shell expands nothing; a quote itself becomes <c>'\''</c>.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(IsPlain) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '%' or '+' or '=' or ':' or ',' or '.' or '/' or '-';
}
