using System.Text.Json.Nodes;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests;

public sealed class ScorerSpecTests
{
    [Fact]
    public void GetDouble_IntegerOrFractionOption_ReadAsNumber()
    {
        var spec = new ScorerSpec
        {
            Type = "max_latency_ms",
            Options = new Dictionary<string, JsonNode?> { ["value"] = JsonValue.Create(8000L), ["pass"] = JsonValue.Create(0.7), ["name"] = "x" },
        };

        Assert.Equal(8000, spec.GetDouble("value"));
        Assert.Equal(0.7, spec.GetDouble("pass"));
        Assert.Null(spec.GetDouble("name"));
        Assert.Null(spec.GetDouble("missing"));
    }
}
