using System.Text;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests.Release;

public sealed class ToolSchemaCheckTests
{
    private const string File = "tools/report_missing.json";

    // The newcomer's tool file, one key a line so each problem has its own line; schemaKeys (each ending in a comma)
    // come before the schema's "type".
    private static string Tool(string schemaKeys, string toolKeys = "\"description\": \"Report a missing item\",") => $$"""
        {
          "name": "report_missing",
          {{toolKeys}}
          "input_schema": {
        {{schemaKeys}}
            "type": "object"
          }
        }
        """;

    private const string Props = """
            "properties": {
              "order_id": { "type": "string", "description": "the order number" }
            },
        """;

    private static List<ManifestError> Check(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var errors = new List<ManifestError>();
        Assert.NotNull(ToolDefinition.TryParse(bytes, File, errors));
        Assert.Empty(errors);
        ToolSchemaCheck.Check(bytes, File, errors);
        return errors;
    }

    [Fact]
    public void Check_MisspelledRequired_RefusedAtItsLineWithDidYouMean()
    {
        var errors = Check(Tool(Props + "\n    \"requried\": [\"order_id\"],"));

        Assert.Equal("tools/report_missing.json:8:5: unknown JSON Schema keyword 'requried' in \"input_schema\" (a provider ignores it); did you mean 'required'?", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Check_MisspelledProperties_RefusedAtItsLine_AndTheRequiredItLeavesUndeclared()
    {
        var errors = Check(Tool(Props.Replace("\"properties\"", "\"propertes\"", StringComparison.Ordinal) + "\n    \"required\": [\"order_id\"],"));

        Assert.Equal(
            [
                "tools/report_missing.json:5:5: unknown JSON Schema keyword 'propertes' in \"input_schema\" (a provider ignores it); did you mean 'properties'?",
                "tools/report_missing.json:8:18: \"input_schema\".\"required\" names 'order_id', a property that \"properties\" does not declare; expected \"properties\" to declare it",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Check_RequiredNamingAnUndeclaredProperty_RefusedAtTheNameNotAt1To1()
    {
        var errors = Check(Tool(Props + "\n    \"required\": [\"orderid\"],"));

        Assert.Equal("tools/report_missing.json:8:18: \"input_schema\".\"required\" names 'orderid', a property that \"properties\" does not declare; did you mean 'order_id'?", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("\"strng\"", "tools/report_missing.json:6:29: \"input_schema\".\"properties\".\"order_id\".\"type\" 'strng' is not a JSON Schema type; expected one of: string, number, integer, boolean, object, array, null; did you mean 'string'?")]
    [InlineData("[\"string\", \"nul\"]", "tools/report_missing.json:6:40: \"input_schema\".\"properties\".\"order_id\".\"type\" 'nul' is not a JSON Schema type; expected one of: string, number, integer, boolean, object, array, null; did you mean 'null'?")]
    [InlineData("3", "tools/report_missing.json:6:29: \"input_schema\".\"properties\".\"order_id\".\"type\" a type that is not a name is not a JSON Schema type; expected one of: string, number, integer, boolean, object, array, null")]
    public void Check_PropertyTypeOutsideJsonSchemaTypes_RefusedAtTheValue(string type, string expected)
    {
        var errors = Check(Tool(Props.Replace("\"type\": \"string\"", $"\"type\": {type}", StringComparison.Ordinal)));

        Assert.Equal(expected, Assert.Single(errors).ToString());
    }

    [Fact]
    public void Check_MisspelledKeywordInANestedPropertySchema_RefusedAtItsLine()
    {
        var errors = Check(Tool("""
                "properties": {
                  "items": {
                    "type": "array",
                    "items": { "type": "string", "desciption": "one missing item" }
                  }
                },
            """));

        Assert.Equal("tools/report_missing.json:8:38: unknown JSON Schema keyword 'desciption' in \"input_schema\".\"properties\".\"items\".\"items\" (a provider ignores it); did you mean 'description'?", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Check_MisspelledToolDescription_RefusedAtItsLine()
    {
        var errors = Check(Tool(Props, "\"desciption\": \"Report a missing item\","));

        Assert.Equal("tools/report_missing.json:3:3: unknown key 'desciption' in the tool definition; did you mean 'description'?", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Check_OpenAiStyleTool_KeywordTypoLocatedInsideFunction()
    {
        var errors = Check("""
            {"type": "function", "function": {
              "name": "report_missing",
              "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}},
                "requried": ["order_id"]}}}
            """);

        Assert.Equal("tools/report_missing.json:4:5: unknown JSON Schema keyword 'requried' in \"parameters\" (a provider ignores it); did you mean 'required'?", Assert.Single(errors).ToString());
    }

    // Every real keyword stays legal, and an unknown one that is no typo of a keyword (an extension) is left alone.
    [Fact]
    public void Check_RealKeywordsAndExtensions_Accepted()
    {
        var errors = Check(Tool("""
                "title": "t", "additionalProperties": false, "x-internal": true, "propertyOrdering": ["a", "b"],
                "$defs": { "kind": { "type": "string", "enum": ["x", "y"], "default": "x" } },
                "properties": {
                  "a": { "$ref": "#/$defs/kind", "examples": ["x"], "example": "x", "nullable": true },
                  "b": { "type": ["integer", "null"], "minimum": 0, "maximum": 9, "const": 3, "format": "int32" },
                  "c": { "type": "array", "items": { "type": "string", "pattern": "^a", "minLength": 1, "maxLength": 3 }, "minItems": 1, "maxItems": 2 },
                  "d": { "anyOf": [{ "type": "string" }, { "type": "object", "properties": { "e": { "type": "boolean" } }, "required": ["e"] }] },
                  "f": { "oneOf": [{ "required": ["a"] }, { "required": ["b"] }], "allOf": [{ "description": "d" }], "definitions": {} }
                },
                "required": ["a", "b"],
            """));

        Assert.Empty(errors);
    }

    [Fact]
    public void Manifest_ToolWithMisspelledRequired_RefusedThroughTheReleaseSection()
    {
        var files = SectionKit.FileSource(("prompts/system.md", "You help."), (File, Tool(Props + "\n    \"requried\": [\"order_id\"],")));

        var (_, errors) = SectionKit.Read("""
            model: { provider: sim, name: m1 }
            prompt: { system: prompts/system.md }
            tools: [tools/report_missing.json]
            """, (r, m) => ReleaseSection.Parse(r, m, files));

        Assert.Contains(errors, e => e.ToString().StartsWith("tools/report_missing.json:8:5: unknown JSON Schema keyword 'requried'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.File == SectionKit.File && e.Line == 3);
    }
}
