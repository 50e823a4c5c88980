using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Glidepath.IntegrationTests;

/// <summary>The store becomes unreadable while the OpenAI SDK keeps sending: every request still succeeds on the last table.</summary>
public sealed class FailStaticTests : IAsyncLifetime
{
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await SampleApp.CreateAsync();
        _app.ShowRoutingHeaders();
        await _app.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StoreUnreadableMidTraffic_OpenAiSdkRequestsKeepSucceedingOnTheLastRelease()
    {
        var client = new ChatClient("support-agent", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_app.Url + "/v1") });
        var v1 = await _app.ReleaseLabelAsync(1);
        using var http = new HttpClient();
        var path = _app.Store.Location;
        var served = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            if (i == 10)
            {
                StoreVandal.MakeUnreadable(path);
            }

            var result = await client.CompleteChatAsync([new UserChatMessage("How long does standard shipping take?")]);
            Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
            Assert.True(result.GetRawResponse().Headers.TryGetValue("Glidepath-Release", out var release));
            served.Add(release!);
            await Task.Delay(20);
        }

        try
        {
            Assert.All(served, r => Assert.Equal(v1, r));
            var ready = await http.GetStringAsync(_app.Url + "/readyz");
            Assert.Contains("\"control_plane\":\"stale\"", ready, StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(path);
        }
    }
}
