namespace Glidepath.Evals.Import;

/// <summary>A promptfoo file being read (the config or a test file it names) with its text, to place references by line.</summary>
public sealed record PromptfooSource(string Name, string Text)
{
    /// <summary><c>name:line</c> of the first occurrence of <paramref name="fragment"/>, or the name alone when it is not found.</summary>
    public string At(string fragment)
    {
        var index = Text.IndexOf(fragment, StringComparison.Ordinal);
        if (index < 0)
        {
            return Name;
        }

        var line = 1;
        for (var i = 0; i < index; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
            }
        }

        return $"{Name}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
