using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests;

public sealed class ManifestParserTests
{
    [Fact]
    public void Load_Sample_ParsesEverySection()
    {
        using var dir = TempDir.WithSample();
        var m = ManifestParser.Load(dir.File("glidepath.yaml"));

        Assert.Equal("support-agent", m.App);
        Assert.Equal("sim", m.Release.Model.Provider);
        Assert.Equal(0.2, m.Release.Model.Parameters.Temperature);
        Assert.Equal(3, m.Release.Tools.Count);
        Assert.Equal("evals/support.jsonl", m.Eval!.Dataset);
        Assert.Equal(3, m.Eval.Scorers.Count);
        Assert.Equal(["staging", "production"], m.Environments.Select(e => e.Name));
        Assert.Equal(["staging"], m.FindEnvironment("production")!.Requires);
        Assert.Equal("support-ai-oncall", m.FindEnvironment("production")!.Owner);
        Assert.Equal([1.0, 5, 25, 50, 100], m.Rollout!.Steps);
        Assert.Equal(TimeSpan.FromMinutes(30), m.Rollout.MaxDuration);
        Assert.Equal(1.25, m.Rollout.Metrics["latency"].MaxRatio);
        Assert.Equal(0.2, m.Online!.SampleRate);
        Assert.Equal("sampled", m.Capture.Content);
    }

    public static TheoryData<string, string, string, string> Malformed => new()
    {
        // name, edit (old => new, applied to the sample manifest), expected message fragment,
        // and the text whose first occurrence in the edited file is where the error must point ("" = anywhere).
        { "unknown top-level key", "app: support-agent\n=>app: support-agent\nmodle: x\n", "unknown key 'modle' in the manifest", "modle" },
        { "unknown release key", "  files: [agent/**]\n=>  files: [agent/**]\n  tool: []\n", "unknown key 'tool' in release", "tool: []" },
        { "wrong type temperature", "temperature: 0.2=>temperature: hot", "temperature is 'hot'; expected a number", "hot" },
        { "temperature out of range", "temperature: 0.2=>temperature: 3.5", "temperature is 3.5; expected a number from 0 to 2", "3.5" },
        { "unknown provider", "provider: sim                 #=>provider: gemini              #", "unknown provider 'gemini'", "gemini" },
        { "missing prompt file", "system: prompts/system.md=>system: prompts/missing.md", "prompt file 'prompts/missing.md' does not exist", "prompts/missing.md" },
        { "glob matches nothing", "files: [agent/**]=>files: [nothing/**]", "'nothing/**' matches no file", "nothing/**" },
        { "prompt file outside the folder", "system: prompts/system.md=>system: ../../../../etc/passwd", "prompt file '../../../../etc/passwd' is outside the app folder", "../../../../etc/passwd" },
        { "absolute prompt path", "system: prompts/system.md=>system: /etc/passwd", "prompt file '/etc/passwd' is outside the app folder", "/etc/passwd" },
        { "glob climbing out", "files: [agent/**]=>files: [\"../*\"]", "'../*' reaches outside the app folder", "\"../*\"" },
        { "missing tool file", "tools/escalate.json]=>tools/nope.json]", "tool file 'tools/nope.json' does not exist", "tools/nope.json" },
        { "unknown scorer", "{ type: tool_call }=>{ type: vibes }", "unknown scorer type 'vibes'", "vibes" },
        { "requires unknown env", "requires: [staging]=>requires: [qa]", "names 'qa', which is not declared", "[qa]" },
        { "requires without owner", "    owner: support-ai-oncall      # owns the rollback decision\n=>", "has a promotion path (requires) but no owner", "production:" },
        { "steps not ending at 100", "steps: [1, 5, 25, 50, 100]=>steps: [1, 5, 25, 50]", "the last rollout step must be 100", "[1, 5, 25, 50]" },
        { "bad duration", "max_duration: 30m=>max_duration: soon", "max_duration 'soon' is not a duration", "soon" },
        { "bad on_inconclusive", "on_inconclusive: hold=>on_inconclusive: pray", "on_inconclusive 'pray' is not known; expected hold or rollback", "pray" },
        { "bad max_hold", "on_inconclusive: hold=>on_inconclusive: hold\n  max_hold: forever", "max_hold 'forever' is not a duration", "forever" },
        { "bad capture mode", "content: sampled=>content: everything", "capture.content 'everything' is not known", "everything" },
        { "reference scorer online", "- { type: max_latency_ms, value: 8000 }=>- { type: tool_call }", "scorer 'tool_call' reads a case's expectations", "tool_call }\n\ncapture" },
        { "yaml syntax error", "app: support-agent\n=>app: [support-agent\n", "expected valid YAML", "" },
        { "api key literal instead of env name", "api_key_env: ANTHROPIC_API_KEY }=>api_key_env: sk-ant-123 }", "api_key_env must name an environment variable", "sk-ant-123" },
        { "scalar where mapping expected", "  prompt:\n    system: prompts/system.md     # template; {{customer_tier}} is filled per request\n=>  prompt: prompts/system.md\n", "release.prompt must be a mapping", "prompts/system.md" },
    };

    // A tab used as indentation at the end of the file was reported at 1:1, where the top-level mapping begins.
    [Fact]
    public void Load_TabIndentationOnTheLastLine_ReportedAtThatLine()
    {
        using var dir = TempDir.WithSample();
        var original = dir.Read("glidepath.yaml").TrimEnd('\n') + "\n";
        dir.Write("glidepath.yaml", original + "\tapp: x\n");
        var lastLine = original.Count(c => c == '\n') + 1;

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(lastLine, error.Line);
        Assert.StartsWith("a tab in the indentation: YAML does not allow tabs for indentation; expected spaces", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Load_MalformedManifest_ReportsFileLineColumn(string name, string edit, string expected, string at)
    {
        using var dir = TempDir.WithSample();
        var parts = edit.Split("=>");
        var original = dir.Read("glidepath.yaml");
        Assert.Contains(parts[0], original);
        var edited = original.Replace(parts[0], parts[1], StringComparison.Ordinal);
        dir.Write("glidepath.yaml", edited);

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        var error = Assert.Single(ex.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal("glidepath.yaml", error.File);
        Assert.Equal(FailureKind.BadInput, ex.Kind);
        if (at.Length > 0)
        {
            var offset = edited.IndexOf(at, StringComparison.Ordinal);
            var line = edited[..offset].Count(c => c == '\n') + 1;
            var column = offset - edited.LastIndexOf('\n', Math.Max(0, offset - 1)) ;
            Assert.True(error.Line == line && error.Column == column, $"{name}: expected {line}:{column}, got {error}");
        }
        else
        {
            Assert.True(error.Line > 0, $"{name}: no line in {error}");
        }
    }

    [Fact]
    public void Load_SeveralProblems_ReportsAllAtOnce()
    {
        using var dir = TempDir.WithSample();
        var yaml = dir.Read("glidepath.yaml")
            .Replace("temperature: 0.2", "temperature: hot", StringComparison.Ordinal)
            .Replace("{ type: tool_call }", "{ type: vibes }", StringComparison.Ordinal)
            .Replace("on_inconclusive: hold", "on_inconclusive: pray", StringComparison.Ordinal);
        dir.Write("glidepath.yaml", yaml);

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        Assert.Equal(3, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Matches("^glidepath.yaml:[0-9]+:[0-9]+: .+; expected", e.ToString()));
    }

    [Fact]
    public void Load_ToolFileNotJson_ReportsToolFileLine()
    {
        using var dir = TempDir.WithSample();
        dir.Write("tools/escalate.json", "{\n  \"name\": \"escalate\",\n  oops\n}");

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        Assert.Contains(ex.Errors, e => e.File == "tools/escalate.json" && e.Line == 3 && e.Message.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_BytesThatAreNotUtf8_ReportedAtTheirLineAndColumn()
    {
        using var dir = TempDir.WithSample();
        var text = dir.Read("glidepath.yaml").Replace("app:", "# caf\u00e9\napp:", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.Replace("\u00e9", "\u0001", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF; // a lone 0xFF, as a Latin-1 editor might leave
        File.WriteAllBytes(dir.File("glidepath.yaml"), bytes);
        var line = 1 + text[..text.IndexOf("caf", StringComparison.Ordinal)].Count(c => c == '\n');

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal($"glidepath.yaml:{line}:6: byte 0xFF is not valid UTF-8; expected the manifest saved as UTF-8 text", error.ToString());
    }

    [Fact]
    public void Load_PromptPathIsAFolder_SaysSoNotThatItDoesNotExist()
    {
        using var dir = TempDir.WithSample();
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("system: prompts/system.md", "system: prompts", StringComparison.Ordinal));

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        Assert.Contains(ex.Errors, e => e.Message == "prompt file 'prompts' is a folder; expected a path relative to the manifest");
    }

    [Fact]
    public void Load_DuplicateToolNames_Rejected()
    {
        using var dir = TempDir.WithSample();
        dir.Write("tools/escalate.json", dir.Read("tools/lookup_order.json"));

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        Assert.Contains(ex.Errors, e => e.Message.Contains("duplicate tool name 'lookup_order'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ToolWithoutObjectSchema_Rejected()
    {
        using var dir = TempDir.WithSample();
        dir.Write("tools/escalate.json", "{\"name\":\"escalate\",\"input_schema\":{\"type\":\"string\"}}");

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        Assert.Contains(ex.Errors, e => e.File == "tools/escalate.json" && e.Message.Contains("must be \"object\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OpenAiStyleTool_Accepted()
    {
        using var dir = TempDir.WithSample();
        dir.Write("tools/escalate.json", "{\"type\":\"function\",\"function\":{\"name\":\"escalate\",\"description\":\"d\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}");

        var m = ManifestParser.Load(dir.File("glidepath.yaml"));

        Assert.Equal(3, m.Release.Tools.Count);
    }
}
