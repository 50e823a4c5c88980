using System.Diagnostics;
using System.Text;

namespace Glidepath.Bench.Gateway;

/// <summary>
/// Sends the same request to a target either closed-loop (one at a time) or open-loop at a fixed rate.
/// Open-loop latency counts from the scheduled send time, so a stalled server is not hidden (no coordinated omission).
/// </summary>
internal sealed class LoadGenerator(HttpClient http)
{
    public async Task<double[]> SequentialAsync(string url, string body, int count, params (string Name, string Value)[] headers)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await SendAsync(url, body, headers);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return latencies;
    }

    public async Task<(double[] Latencies, int Errors)> FixedRateAsync(string url, string body, int perSecond, TimeSpan duration)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var errors = 0;
        var tasks = new Task[total];
        var interval = Stopwatch.Frequency / (double)perSecond;
        var origin = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = origin + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                var left = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
                if (left > 1.5)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    Thread.Yield();
                }
            }

            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    await SendAsync(url, body);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = Stopwatch.GetElapsedTime(due).TotalMicroseconds;
            });
        }

        await Task.WhenAll(tasks);
        return (latencies, errors);
    }

    private async Task SendAsync(string url, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        await response.Content.CopyToAsync(Stream.Null);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode}");
        }
    }

    public static double Percentile(double[] values, double p)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var rank = p / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
