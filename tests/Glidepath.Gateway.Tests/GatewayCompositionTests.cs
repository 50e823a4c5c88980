using System.Net;
using Glidepath.Errors;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests;

/// <summary>How a host composes the gateway: AddGlidepathServing, AddGlidepathGateway, MapGlidepathGateway.</summary>
public sealed class GatewayCompositionTests
{
    [Fact]
    public async Task MapGlidepathGateway_HostAddsAFilterAndARouteToTheGroup_BothApplyWithoutEditingTheEndpoints()
    {
        await using var f = await GatewayFixture.CreateAsync();
        f.ShowRoutingHeaders();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddGlidepathServing(f.ServingOptions()).AddGlidepathGateway();
        await using var app = builder.Build();
        var group = app.MapGlidepathGateway();
        group.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers["X-Host-Filter"] = "seen";
            return await next(context);
        });
        group.MapGet("/admin/ping", () => Results.Text("pong"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var chat = await f.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, url + "/v1/chat/completions")
        {
            Content = new StringContent(GatewayFixture.Chat(), System.Text.Encoding.UTF8, "application/json"),
        });
        using var admin = await f.Http.GetAsync(url + "/admin/ping");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(f.V1.Label, chat.Headers.GetValues("Glidepath-Release").Single());
        Assert.Equal("seen", chat.Headers.GetValues("X-Host-Filter").Single());
        Assert.Equal("pong", await admin.Content.ReadAsStringAsync());
        Assert.Equal("seen", admin.Headers.GetValues("X-Host-Filter").Single());
    }

    [Fact]
    public void AddGlidepathGateway_WithoutTheServingCore_RefusedNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddGlidepathGateway());

        Assert.Contains("AddGlidepathServing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownEnvironment_BadInputNamingTheDeclaredOnes()
    {
        await using var f = await GatewayFixture.CreateAsync();

        var ex = await Assert.ThrowsAsync<BadInputException>(() => f.StartAsync(s => s with { Environment = "prod" }));

        Assert.Contains("unknown environment 'prod'; expected one of: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StoreUnreadable_OperationalErrorAndNothingListens()
    {
        await using var f = await GatewayFixture.CreateAsync();
        StoreVandal.MakeUnreadable(f.StorePath);
        try
        {
            var ex = await Assert.ThrowsAsync<OperationalException>(() => f.StartAsync());

            Assert.Contains("cannot read environment 'staging' from the store", ex.Message, StringComparison.Ordinal);
            Assert.Null(f.Server);
        }
        finally
        {
            StoreVandal.Restore(f.StorePath);
        }
    }
}
