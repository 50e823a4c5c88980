using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Tests.Manifests;

/// <summary>The published JSON Schema (docs/schema) must accept what the parser accepts and know the same names.</summary>
public sealed class ManifestSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(TempDir.RepoRoot(), "docs", "schema", "glidepath.schema.json");

    private static JsonNode YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return YamlNodeReader.ToJson(stream.Documents[0].RootNode)!;
    }

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static EvaluationResults Validate(string yaml)
    {
        var schema = Schema.Value;
        return schema.Evaluate(JsonDocument.Parse(YamlToJson(yaml).ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Fact]
    public void Schema_AcceptsSampleManifest()
    {
        var result = Validate(File.ReadAllText(Path.Combine(TempDir.RepoRoot(), "samples", "support-agent", "glidepath.yaml")));

        Assert.True(result.IsValid, string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
    }

    [Fact]
    public void Schema_RejectsUnknownKey()
    {
        var yaml = File.ReadAllText(Path.Combine(TempDir.RepoRoot(), "samples", "support-agent", "glidepath.yaml")) + "\nmodle: x\n";

        Assert.False(Validate(yaml).IsValid);
    }

    [Fact]
    public void Schema_ScorerTypesAndMetrics_MatchParser()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
        var types = schema["$defs"]!["scorer"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        var metrics = schema["properties"]!["rollout"]!["properties"]!["metrics"]!["properties"]!.AsObject().Select(p => p.Key);

        Assert.Equal(BuiltInScorers.All.Select(t => t.Name).Order(), types.Order());
        Assert.Equal(RolloutPlan.KnownMetrics.Order(), metrics.Order());
    }
}
