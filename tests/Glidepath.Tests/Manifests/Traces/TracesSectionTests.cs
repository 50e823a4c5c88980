using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Traces;

public sealed class TracesSectionTests
{
    [Fact]
    public void Parse_NoSection_KeepsTracesForever()
    {
        var (traces, errors) = Read("app: x\n", (r, _) => TracesSection.Parse(r, null));

        Assert.Empty(errors);
        Assert.Null(traces.Retention);
    }

    [Fact]
    public void Parse_Retention_ReadAsADuration()
    {
        var (traces, errors) = Read("retention: 30d\n", TracesSection.Parse);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromDays(30), traces.Retention);
    }

    [Theory]
    [InlineData("retention: 2h\n")]
    [InlineData("retention: soon\n")]
    public void Parse_RetentionNotADurationOfADayOrMore_ErrorWithThePlace(string yaml)
    {
        var (_, errors) = Read(yaml, TracesSection.Parse);

        Assert.StartsWith("glidepath.yaml:1:12: traces.retention", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_Error()
    {
        var (_, errors) = Read("keep: 30d\n", TracesSection.Parse);

        Assert.Contains("keep", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }
}
