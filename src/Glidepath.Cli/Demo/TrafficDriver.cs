using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Cli.Demo;

/// <summary>
/// Synthetic customer traffic: the sample dataset's questions sent through the gateway's OpenAI-compatible
/// endpoint, each from a sticky customer id, with bounded concurrency.
/// </summary>
internal sealed class TrafficDriver : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly IReadOnlyList<string> _questions;
    private long _sent;
    private long _errors;

    public TrafficDriver(string datasetPath)
    {
        _questions = File.ReadLines(datasetPath)
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonNode.Parse(l)!["input"]!["messages"]![0]!["content"]!.GetValue<string>())
            .ToList();
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Sends <paramref name="count"/> requests (or until cancelled when count is null).</summary>
    public async Task SendAsync(string gatewayUrl, int? count, int concurrency, string customerPrefix, CancellationToken cancellationToken)
    {
        var next = -1L;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (count is { } n && i >= n)
                {
                    return;
                }

                await SendOneAsync(gatewayUrl, i, customerPrefix, cancellationToken).ConfigureAwait(false);
            }
        });
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && count is null)
        {
        }
    }

    private async Task SendOneAsync(string gatewayUrl, long i, string customerPrefix, CancellationToken cancellationToken)
    {
        var body = new
        {
            model = "support-agent",
            user = $"{customerPrefix}-{i % 5000}",
            messages = new[] { new { role = "user", content = _questions[(int)(i % _questions.Count)] } },
        };
        try
        {
            using var response = await _http.PostAsJsonAsync(gatewayUrl.TrimEnd('/') + "/v1/chat/completions", body, cancellationToken).ConfigureAwait(false);
            await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _sent);
            Interlocked.Increment(ref _errors);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _sent);
            Interlocked.Increment(ref _errors);
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    public void Dispose() => _http.Dispose();
}
