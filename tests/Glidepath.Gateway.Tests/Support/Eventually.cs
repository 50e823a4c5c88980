using System.Diagnostics;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>Waits for a condition the gateway reaches on its own (a poll, a reload), checking every 50 ms for up to 30 s.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, string failure)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Patience)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException(failure);
    }
}
