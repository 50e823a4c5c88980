using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Sim;

/// <summary>
/// The sim's faults per process: every gateway of a drill drew the same sequence from call 0, so three gateways failed
/// at the same call numbers and a restart replayed the start (trial pgoutage, LOW 3). A salt gives each its own.
/// </summary>
public sealed class SimProcessSaltTests : IDisposable
{
    private const int Calls = 64;

    private readonly SampleApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Faults_DifferentSalts_DifferentSequences()
    {
        var first = await FaultsAsync("gateway-a");
        var second = await FaultsAsync("gateway-b");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Faults_SameSalt_SameSequence()
    {
        var first = await FaultsAsync("drill-7");
        var second = await FaultsAsync("drill-7");

        Assert.Equal(first, second);
        Assert.InRange(first.Count(f => f), Calls / 4, Calls * 3 / 4); // error_rate 0.5: the salt still draws that share
    }

    [Fact]
    public async Task Faults_NoSalt_SameSequenceInEveryFactory()
    {
        // Evals and tests keep the sequence they always had: a factory without a salt is reproducible.
        Assert.Equal(await FaultsAsync(null), await FaultsAsync(null));
    }

    [Fact]
    public void ForProcess_VariableSet_IsThatSalt()
    {
        Assert.Equal("drill-7", SimProcessSalt.ForProcess(name => name == SimProcessSalt.VariableName ? "drill-7" : null));
    }

    [Fact]
    public void ForProcess_VariableUnsetOrEmpty_IsRandomPerCall()
    {
        var a = SimProcessSalt.ForProcess(_ => null);
        var b = SimProcessSalt.ForProcess(_ => "");

        Assert.NotEqual(a, b);
        Assert.Equal(16, a.Length);
    }

    /// <summary>Which of <see cref="Calls"/> calls failed, for a fresh factory (a new process) with the given salt.</summary>
    private async Task<bool[]> FaultsAsync(string? salt)
    {
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest), defaults: new ModelClientDefaults { SimSalt = salt });
        var client = factory.Create(_app.Model(("faults", new JsonObject { ["error_rate"] = 0.5 })), new ProviderSettings(), new ModelClientOptions());
        var (messages, options) = ReleaseConversation.Prepare(_app.Snapshot, new Dictionary<string, string> { ["customer_tier"] = "gold" }, [new ChatMessage(ChatRole.User, "Do you accept PayPal?")]);
        var failed = new bool[Calls];
        for (var i = 0; i < Calls; i++)
        {
            try
            {
                await client.GetResponseAsync(messages, options);
            }
            catch (ProviderException ex) when (ex.StatusCode == 500 && ex.Provider == "sim")
            {
                failed[i] = true;
            }
        }

        return failed;
    }
}
