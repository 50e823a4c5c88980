using Glidepath.Errors;
using Glidepath.Evals.Import;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests;

/// <summary>
/// A YAML syntax error says what to fix in plain words and where (newcomer trial L1: "While scanning a plain scalar
/// value, found invalid mapping; expected valid YAML", a line after the one to fix), for every YAML file Glidepath reads.
/// </summary>
public sealed class YamlSyntaxTests
{
    public static TheoryData<string, string, int, int, string> Broken => new()
    {
        // name, text, line and column reported, a fragment of the message
        { "key dedented, next line read as its value", "release:\n  model:\n    provider: sim\n  name: x\n    parameters: {}\n", 5, 15,
            "'parameters:' is indented deeper than the line before it (line 4: 'name: x'), so YAML reads it as more of that line's value; expected the keys of one mapping at the same indentation: check this line and line 4" },
        { "key indented too far", "a:\n  owner: x\n\n      kb: y\n", 4, 9, "'kb:' is indented deeper than the line before it (line 2: 'owner: x')" },
        { "key without its colon", "a:\n  requires [staging]\n  owner: x\n", 2, 3, "'requires [staging]' has no ':', so YAML reads it and line 3 as one value; expected 'key: value'" },
        { "colon inside a plain value", "a:\n  owner: a: b\n", 2, 11, "a value that holds ': ' must be quoted; expected e.g. key: \"a: b\"" },
        { "tab indentation", "a:\n  b: 1\n\tc: 2\n", 3, 1, "a tab in the indentation: YAML does not allow tabs for indentation; expected spaces" },
        { "tab after spaces", "a:\n  b: 1\n  \t c: 2\n", 3, 3, "YAML does not allow tabs for indentation; expected spaces" },
        { "key at no sibling's indentation", "a:\n  b:\n    c: 1\n   d: 2\n", 4, 4, "this line is indented 3 spaces, which lines it up with no key above it (line 3, the line before, is indented 4 spaces); expected every key of a mapping at the same indentation" },
        { "list item among keys", "a: 1\n- b\n", 2, 1, "a list item ('- …') where a key was expected" },
        { "key inside a list", "a:\n  - x\n  y: 1\n", 3, 3, "a line inside a list that is not a '- ' item" },
        { "reserved first character", "a: 1\nb: @x\n", 2, 4, "a value cannot start with '@' unquoted; expected it in quotes" },
        { "duplicate key", "a:\n  owner: x\n  owner: y\n", 3, 3, "key 'owner' appears twice in the same mapping; expected each key once" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Load_SyntaxError_SaysWhatToFixAtTheLineToFix(string name, string yaml, int line, int column, string expected)
    {
        var ex = Assert.Throws<YamlSyntaxException>(() => YamlLoader.Load(yaml, "the manifest"));

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {ex.Message}");
        Assert.True((ex.Where.Line, ex.Where.Column) == (line, column), $"{name}: at {ex.Where.Line}:{ex.Where.Column}, expected {line}:{column}");
        Assert.DoesNotContain("While ", ex.Message, StringComparison.Ordinal);
    }

    // The trial's edit on the sample manifest: production's owner dedented by two spaces. The parser stops on the next line.
    [Fact]
    public void ManifestLoad_OwnerDedented_NamesBothLinesInPlainWords()
    {
        using var dir = TempDir.WithSample();
        var yaml = dir.Read("glidepath.yaml");
        dir.Write("glidepath.yaml", yaml.Replace("\n    owner: support-ai-oncall", "\n  owner: support-ai-oncall", StringComparison.Ordinal));
        var ownerLine = yaml[..yaml.IndexOf("    owner:", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(ownerLine + 1, error.Line);
        Assert.True(error.Message.StartsWith($"'vars:' is indented deeper than the line before it (line {ownerLine}: 'owner: support-ai-oncall'), so YAML cannot place it", StringComparison.Ordinal), error.Message);
    }

    // The promptfoo import reads YAML through the same loader: the same words, with its file's name.
    [Fact]
    public void PromptfooParse_SyntaxError_SameWordsAsTheManifest()
    {
        var ex = Assert.Throws<BadInputException>(() => PromptfooReferences.Parse("tests:\n  - vars:\n\t  q: hi\n", "promptfooconfig.yaml"));

        Assert.StartsWith("promptfooconfig.yaml:3:1: a tab in the indentation: YAML does not allow tabs for indentation; expected spaces", ex.Message, StringComparison.Ordinal);
    }
}
