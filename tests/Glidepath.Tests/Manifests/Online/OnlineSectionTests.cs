using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Online;

public sealed class OnlineSectionTests
{
    [Fact]
    public void Parse_NoSampleRate_SamplesNothing()
    {
        var (online, errors) = Read("scorers: [{ type: json_valid }]\n", (r, m) => OnlineSection.Parse(r, m, FileSource(), ScorerRegistry.CreateDefault()));

        Assert.Empty(errors);
        Assert.Equal(0, online!.SampleRate);
        Assert.Equal("json_valid", Assert.Single(online.Scorers).Type);
    }

    [Fact]
    public void Parse_ScorerThatReadsExpectations_Rejected()
    {
        var (_, errors) = Read("sample_rate: 0.5\nscorers: [{ type: tool_call }]\n", (r, m) => OnlineSection.Parse(r, m, FileSource(), ScorerRegistry.CreateDefault()));

        Assert.Equal("glidepath.yaml:2:19: scorer 'tool_call' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_SampleRateAboveOne_Rejected()
    {
        var (_, errors) = Read("sample_rate: 20\n", (r, m) => OnlineSection.Parse(r, m, FileSource(), ScorerRegistry.CreateDefault()));

        Assert.Equal("glidepath.yaml:1:14: online.sample_rate is 20; expected a number from 0 to 1", Assert.Single(errors).ToString());
    }
}
