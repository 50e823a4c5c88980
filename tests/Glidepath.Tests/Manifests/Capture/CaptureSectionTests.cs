using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Capture;

public sealed class CaptureSectionTests
{
    [Fact]
    public void Parse_NoSection_KeepsNoContent()
    {
        var (capture, errors) = Read("app: x\n", (r, _) => CaptureSection.Parse(r, null));

        Assert.Empty(errors);
        Assert.Equal("none", capture.Content);
        Assert.Empty(capture.Redact);
    }

    [Fact]
    public void Parse_ModeAndRedactors_Read()
    {
        var (capture, errors) = Read("content: all\nredact: [email, credit_card]\n", CaptureSection.Parse);

        Assert.Empty(errors);
        Assert.Equal("all", capture.Content);
        Assert.Equal(["email", "credit_card"], capture.Redact);
    }

    [Fact]
    public void Parse_UnknownRedactor_ListsTheKnownOnes()
    {
        var (_, errors) = Read("redact: [email, ssn]\n", CaptureSection.Parse);

        Assert.Equal("glidepath.yaml:1:9: unknown redactor 'ssn'; expected any of: email, phone, credit_card, ip", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_UnknownMode_ListsTheKnownOnes()
    {
        var (_, errors) = Read("content: some\n", CaptureSection.Parse);

        Assert.Equal("glidepath.yaml:1:10: capture.content 'some' is not known; expected one of: none, sampled, all", Assert.Single(errors).ToString());
    }
}
