using System.Text.RegularExpressions;

namespace Glidepath.Providers.Sim;

/// <summary>Word tokens for matching: lower case, stop words dropped, light suffix stemming.</summary>
internal static partial class SimText
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "having",
        "i", "me", "my", "mine", "you", "your", "yours", "we", "us", "our", "ours", "it", "its", "they", "them", "their",
        "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom", "how", "when", "why",
        "can", "could", "would", "should", "will", "shall", "may", "might", "must", "so", "as", "than", "too", "very",
        "just", "also", "any", "some", "all", "each", "every", "not", "no", "yes", "please", "hi", "hello", "thanks",
        "thank", "about", "into", "out", "up", "down", "over", "again", "get", "got", "want", "need", "still", "i'm",
        "im", "it's", "that's", "let", "s", "like", "one", "now", "ok", "okay", "much", "many", "long",
        "since", "until", "during", "while", "ago", "what's", "don't", "can't", "i've", "you're",
    };

    /// <summary>The stemmed content words of <paramref name="text"/>; hyphenated words also yield their parts.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        foreach (Match m in Word().Matches(text.ToLowerInvariant()))
        {
            var word = m.Value.Trim('-', '\'');
            if (word.EndsWith("'s", StringComparison.Ordinal))
            {
                word = word[..^2];
            }

            if (word.Length == 0 || StopWords.Contains(word))
            {
                continue;
            }

            tokens.Add(Stem(word));
            if (word.Contains('-', StringComparison.Ordinal))
            {
                foreach (var part in word.Split('-', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!StopWords.Contains(part))
                    {
                        tokens.Add(Stem(part));
                    }
                }
            }
        }

        return tokens;
    }

    /// <summary>
    /// True when <paramref name="word"/> occurs in <paramref name="text"/> with a word boundary on both sides, as the
    /// regular expression <c>\bword\b</c> would find it, without building a regex per call.
    /// </summary>
    public static bool ContainsWord(string text, string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            var end = i + word.Length;
            if (IsWordChar(At(text, i - 1)) != IsWordChar(word[0]) && IsWordChar(word[^1]) != IsWordChar(At(text, end)))
            {
                return true;
            }
        }

        return false;
    }

    private static char At(string s, int i) => i >= 0 && i < s.Length ? s[i] : '\0';

    /// <summary>A word character for \b as .NET regular expressions define it: letters, marks, digits, connectors, ZWJ/ZWNJ.</summary>
    private static bool IsWordChar(char c) => c is '\u200C' or '\u200D' || char.GetUnicodeCategory(c) switch
    {
        System.Globalization.UnicodeCategory.UppercaseLetter or System.Globalization.UnicodeCategory.LowercaseLetter
            or System.Globalization.UnicodeCategory.TitlecaseLetter or System.Globalization.UnicodeCategory.ModifierLetter
            or System.Globalization.UnicodeCategory.OtherLetter or System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.DecimalDigitNumber
            or System.Globalization.UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    private static readonly string[] DurationQuestions = ["how long", "how many days", "how soon", "deadline", "time limit", "how much time"];

    /// <summary>
    /// Tokens of a user message, with duration questions ("how long do I have…") expanded to the words
    /// policies use for them (window, days), which a real model would understand without them.
    /// </summary>
    public static List<string> QueryTokens(string message)
    {
        var tokens = Tokens(message);
        if (DurationQuestions.Any(q => message.Contains(q, StringComparison.OrdinalIgnoreCase)))
        {
            tokens.Add("window");
            tokens.Add("day");
        }

        return tokens;
    }

    /// <summary>A crude stemmer: enough that "returns", "returned" and "returning" meet "return".</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || char.IsDigit(word[0]))
        {
            return word;
        }

        string s = word;
        if (s.EndsWith("ies", StringComparison.Ordinal) && s.Length > 4)
        {
            s = s[..^3] + "y";
        }
        else if (s.EndsWith("sses", StringComparison.Ordinal) || s.EndsWith("ches", StringComparison.Ordinal) || s.EndsWith("shes", StringComparison.Ordinal) || s.EndsWith("xes", StringComparison.Ordinal))
        {
            s = s[..^2];
        }
        else if (s.EndsWith('s') && !s.EndsWith("ss", StringComparison.Ordinal) && !s.EndsWith("us", StringComparison.Ordinal) && !s.EndsWith("is", StringComparison.Ordinal))
        {
            s = s[..^1];
        }

        if (s.EndsWith("ation", StringComparison.Ordinal) && s.Length > 7)
        {
            s = s[..^3];
        }
        else if (s.EndsWith("ing", StringComparison.Ordinal) && s.Length > 5)
        {
            s = Undouble(s[..^3]);
        }
        else if (s.EndsWith("ed", StringComparison.Ordinal) && s.Length > 4)
        {
            s = Undouble(s[..^2]);
        }
        else if (s.EndsWith('e') && s.Length > 4)
        {
            s = s[..^1];
        }

        return s;
    }

    private static string Undouble(string s) =>
        s.Length > 2 && s[^1] == s[^2] && s[^1] is not ('l' or 's' or 'z') ? s[..^1] : s.EndsWith('e') && s.Length > 4 ? s[..^1] : s;

    [GeneratedRegex(@"[a-z0-9][a-z0-9'\-]*")]
    private static partial Regex Word();
}
