using System.Text;
using Glidepath.Errors;
using Glidepath.Evals.Scorers;
using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Checks what is in a file a built-in scorer names, where the manifest names it: a <c>schema</c> must be a JSON schema
/// the scorer can compile, and a <c>rubric</c> must hold criteria. A broken schema was found only when the scorers were
/// built (an "unexpected" error, exit 3, with no line), and an empty rubric let the judge grade by nothing; here each is
/// bad input at <c>glidepath.yaml:LINE:COL</c> before any model call.
/// </summary>
internal static class ScorerFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static void Check(YamlNodeReader r, YamlNode? at, IFileSource files, string key, string path)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(files.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            r.Error(at, $"{key} file '{path}' is not UTF-8 text; expected a text file saved as UTF-8");
            return;
        }
        catch (BadInputException ex)
        {
            r.Error(at, $"{key} file: {ex.Message}");
            return;
        }

        if (key == "schema" && !JsonSchemaScorer.TryParse(text, out _, out var error))
        {
            r.Error(at, $"schema file '{path}' is not a valid JSON schema ({error}); expected a JSON schema, e.g. {{\"type\": \"object\", \"required\": [\"answer\"]}}");
        }

        if (key == "rubric" && !HasCriteria(text))
        {
            r.Error(at, $"rubric file '{path}' has no criteria (it is empty or holds only headings), so the judge would grade by nothing; " +
                "expected the criteria the judge scores an answer by, e.g. \"Score 1 when the answer states the 30-day return window\"");
        }
    }

    /// <summary>Whether a rubric has a line that is neither blank nor a Markdown heading.</summary>
    private static bool HasCriteria(string rubric)
    {
        foreach (var line in rubric.TrimStart('\uFEFF').AsSpan().EnumerateLines())
        {
            var text = line.Trim();
            if (text.Length > 0 && text[0] != '#')
            {
                return true;
            }
        }

        return false;
    }
}
