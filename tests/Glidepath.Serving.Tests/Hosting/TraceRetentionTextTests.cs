using Glidepath.Serving.Hosting;

namespace Glidepath.Serving.Tests.Hosting;

public sealed class TraceRetentionTextTests
{
    [Theory]
    [InlineData(24, "1 day")]
    [InlineData(720, "30 days")]
    [InlineData(36, "1.5 days")]
    [InlineData(12, "12 hours")]
    [InlineData(1, "1 hour")]
    public void RetentionText_InTheLogLine_SingularForOne(int hours, string expected) =>
        Assert.Equal(expected, TraceRetentionService.RetentionText(TimeSpan.FromHours(hours)));
}
