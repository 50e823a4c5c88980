using Glidepath.Errors;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Serving.Tests;

public sealed class ServingOptionsTests
{
    [Fact]
    public async Task Validate_EnvironmentNotInTheManifest_BadInputNamingTheDeclaredOnes()
    {
        await using var f = await ServingFixture.StartAsync();
        var options = f.Options with { Environment = "prod" };

        var ex = Assert.Throws<BadInputException>(options.Validate);

        Assert.Contains("unknown environment 'prod'; expected one of: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("staging, production", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGlidepathServing_InvalidOptions_RefusedWhenAdded()
    {
        await using var f = await ServingFixture.StartAsync();

        var ex = Assert.Throws<BadInputException>(() => new ServiceCollection().AddGlidepathServing(f.Options with { TraceBatchSize = 0 }));

        Assert.Contains("TraceBatchSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGlidepathServing_CalledTwice_Refused()
    {
        await using var f = await ServingFixture.StartAsync();
        var services = new ServiceCollection().AddGlidepathServing(f.Options);

        Assert.Throws<InvalidOperationException>(() => services.AddGlidepathServing(f.Options));
    }
}
