using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

/// <summary>
/// An OpenAI-compatible upstream for the eval bench: every chat completion is answered after a fixed delay with the
/// same body. Runs in a child process of its own (<c>--serve-mock</c>), so its CPU is not counted as the runner's.
/// </summary>
internal static class MockServer
{
    public const string Answer = "Returns are accepted within 30 days for store credit; refunds take 3 to 5 business days.";

    public static async Task<int> RunAsync(int delayMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var body = System.Text.Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1764633600,\"model\":\"gpt-4o-mini\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + Answer + "\"},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":20,\"total_tokens\":140}}");
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            await Task.Delay(delayMs, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        Console.WriteLine("listening " + new Uri(address).Port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();

        // Until the bench closes our stdin.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
