using System.Text;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests.Release;

public sealed class ToolDefinitionTests
{
    [Fact]
    public void TryParse_SchemaTypeNotObject_ReportedAtTheTypeValueNotAt1To1()
    {
        var errors = new List<ManifestError>();

        var tool = ToolDefinition.TryParse(Encoding.UTF8.GetBytes("""
            {
              "name": "report_missing",
              "input_schema": {
                "type": "objet"
              }
            }
            """), "tools/t.json", errors);

        Assert.Null(tool);
        Assert.Equal("tools/t.json:4:13: \"input_schema\".\"type\" must be \"object\"; tool inputs are JSON objects", Assert.Single(errors).ToString());
    }

    // A stored release loads as it was accepted: the keyword check is the manifest's (ToolSchemaCheck), not the parser's.
    [Fact]
    public void TryParse_KeywordTypo_LeftToTheManifestCheck()
    {
        var errors = new List<ManifestError>();

        var tool = ToolDefinition.TryParse(Encoding.UTF8.GetBytes("""{"name": "t", "input_schema": {"type": "object", "properties": {}, "requried": ["a"]}}"""), "tools/t.json", errors);

        Assert.NotNull(tool);
        Assert.Empty(errors);
    }
}
