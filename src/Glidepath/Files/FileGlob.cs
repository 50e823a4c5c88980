using Microsoft.Extensions.FileSystemGlobbing;

namespace Glidepath.Files;

/// <summary>Expands a glob such as <c>agent/**</c> over a file source's file list.</summary>
public static class FileGlob
{
    public static IReadOnlyList<string> Expand(IFileSource source, string pattern)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            return source.Exists(pattern) ? [pattern] : [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern.EndsWith("/**", StringComparison.Ordinal) ? pattern + "/*" : pattern);
        var result = matcher.Match("/", source.ListFiles().Select(f => "/" + f));
        return result.Files.Select(f => f.Path.TrimStart('/')).Order(StringComparer.Ordinal).ToList();
    }
}
