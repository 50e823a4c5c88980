using System.Text.Json.Nodes;
using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Release;

public sealed class ModelSectionTests
{
    [Fact]
    public void Parse_StopAsOneString_IsAListOfOne()
    {
        var (model, errors) = Read("model: { provider: openai, name: gpt, parameters: { stop: END, top_k: 40 } }\n",
            (r, m) => ModelSection.Parse(r, m.Children["model"], "release.model", m));

        Assert.Empty(errors);
        Assert.Equal(["END"], model!.Parameters.Stop!);
        Assert.Equal(40, model.Parameters.TopK);
    }

    [Fact]
    public void Parse_Options_KeptAsJsonWithYamlTyping()
    {
        var (model, _) = Read("model: { provider: sim, name: s, options: { latency_scale: 0, faults: { error_rate: 0.5 }, label: '7' } }\n",
            (r, m) => ModelSection.Parse(r, m.Children["model"], "release.model", m));

        Assert.Equal(0L, model!.Options["latency_scale"]!.GetValue<long>());
        Assert.Equal(0.5, model.Options["faults"]!["error_rate"]!.GetValue<double>());
        Assert.Equal("7", model.Options["label"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_JudgeModelWithoutName_NamesTheScorerInTheMessage()
    {
        var (model, errors) = Read("model: { provider: sim }\n",
            (r, m) => ModelSection.Parse(r, m.Children["model"], "scorer 'llm_judge'.model", m));

        Assert.Null(model);
        Assert.Equal("glidepath.yaml:1:8: missing scorer 'llm_judge'.model.name; expected a string", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_NoModel_ReportedAtTheParent()
    {
        var (model, errors) = Read("prompt: x\n", (r, m) => ModelSection.Parse(r, null, "release.model", m));

        Assert.Null(model);
        Assert.Equal("glidepath.yaml:1:1: missing 'model:' in release; expected { provider, name }", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_UnknownProvider_ListsTheKnownOnes()
    {
        var (_, errors) = Read("model: { provider: gemini, name: g }\n",
            (r, m) => ModelSection.Parse(r, m.Children["model"], "release.model", m));

        Assert.Equal("glidepath.yaml:1:20: unknown provider 'gemini'; expected one of: anthropic, openai, sim", Assert.Single(errors).ToString());
    }

    // Anthropic's Messages API takes temperature 0-1; OpenAI's 0-2. Caught at the manifest, not at the first call.
    [Theory]
    [InlineData("anthropic", "1.5", "glidepath.yaml:1:67: temperature on anthropic is 1.5; expected a number from 0 to 1")]
    [InlineData("openai", "1.5", null)]
    [InlineData("anthropic", "1", null)]
    public void Parse_TemperatureRange_IsTheProvidersOwn(string provider, string temperature, string? error)
    {
        var (_, errors) = Read($"model: {{ provider: {provider}, name: m, parameters: {{ temperature: {temperature} }} }}\n",
            (r, m) => ModelSection.Parse(r, m.Children["model"], "release.model", m));

        Assert.Equal(error, errors.SingleOrDefault()?.ToString());
    }
}
