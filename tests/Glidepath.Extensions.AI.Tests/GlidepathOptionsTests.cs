using Glidepath.Errors;
using Glidepath.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>Settings that cannot work are refused when <c>AddGlidepath</c> registers them, naming the setting.</summary>
public sealed class GlidepathOptionsTests
{
    [Fact]
    public void AddGlidepath_NoEnvironment_BadInputNamingIt()
    {
        var ex = Assert.Throws<BadInputException>(() => new ServiceCollection().AddGlidepath(o => o.App = "support-agent"));

        Assert.Contains("Environment", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(251)]
    public void AddGlidepath_PollIntervalOutsideTheRollbackBound_BadInput(int ms)
    {
        var ex = Assert.Throws<BadInputException>(() => new ServiceCollection().AddGlidepath(o =>
        {
            o.Environment = "production";
            o.PollInterval = TimeSpan.FromMilliseconds(ms);
        }));

        Assert.Contains("PollInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGlidepath_Twice_Refused()
    {
        var services = new ServiceCollection().AddGlidepath(o => o.Environment = "production");

        Assert.Throws<InvalidOperationException>(() => services.AddGlidepath(o => o.Environment = "staging"));
    }

    [Fact]
    public async Task StartAsync_NoStoreAtTheDefaultLocation_BadInputAndNoStoreCreated()
    {
        using var dir = TempDir.WithSample();
        var runtime = new GlidepathRuntime(new GlidepathOptions { Environment = "staging", Manifest = dir.File("glidepath.yaml"), Store = dir.File(Path.Combine(".glidepath", "glidepath.db")) },
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using (runtime)
        {
            await Assert.ThrowsAsync<BadInputException>(() => runtime.StartAsync(CancellationToken.None));
        }

        Assert.False(File.Exists(dir.File(Path.Combine(".glidepath", "glidepath.db"))));
    }
}
