using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Gateway.Wire;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Wire.Generated;

/// <summary>
/// Property: whatever body a caller sends, the gateway never answers 500 and always answers in the caller's format.
/// 5,000 mutated bodies per format go through the request parser directly, and 500 per format over real HTTP to a
/// gateway on 127.0.0.1 with the real providers pipeline (the sim, instant). Cases are drawn from fixed seeds, so every
/// run tries the same bodies; a failure is shrunk by CsCheck and printed, to become an ordinary test in
/// <see cref="GeneratedCounterexampleTests"/>.
/// </summary>
public sealed class GeneratedBodyTests
{
    private const ulong Seed = 20_261_202;

    /// <summary>Which valid body to start from, and the choices the mutator reads (shrinks towards fewer, smaller ones).</summary>
    private static readonly Gen<(int Start, int[] Choices)> Cases = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1_000_000].Array[1, 24]);

    [Theory]
    [InlineData("openai", 5_000)]
    [InlineData("anthropic", 5_000)]
    public void Parse_MutatedBodies_AcceptedOrRefusedWith4xxInWireFormat(string format, int count)
    {
        var (wire, starts) = Format(format);
        for (var i = 0; i < count; i++)
        {
            var (seed, (start, choices)) = Case(i);
            var body = new BodyMutator(choices).Mutate(starts[start]);
            if (ParseProblem(wire, body) is { } problem)
            {
                Shrink(seed, c => ParseProblem(wire, new BodyMutator(c.Choices).Mutate(starts[c.Start])), c => new BodyMutator(c.Choices).Mutate(starts[c.Start]), $"case {i}: {problem}\nbody: {Cut(body)}");
            }
        }
    }

    [Theory]
    [InlineData("openai", 5_000)]
    [InlineData("anthropic", 5_000)]
    public async Task Post_MutatedBodies_Never500AndAlwaysCallersFormat(string format, int count)
    {
        var (wire, starts) = Format(format);
        var path = format == "openai" ? "/v1/chat/completions" : "/v1/messages";
        await using var f = await GatewayFixture.CreateAsync(editManifest: InstantSim);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest));
        await f.StartAsync(s => s with { Models = models });
        var failures = new List<string>();
        for (var i = 0; i < count && failures.Count < 5; i++)
        {
            var (_, (start, choices)) = Case(100_000 + i);
            var mutator = new BodyMutator(choices);
            var body = mutator.Mutate(starts[start]);
            var contentType = (choices[0] % 10) switch
            {
                0 => "text/plain",
                1 => "application/x-www-form-urlencoded",
                _ => "application/json",
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, f.Url + path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await f.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (HttpProblem(path, response, text) is { } problem)
            {
                failures.Add($"case {i} ({contentType}): {problem}\nbody: {Cut(body)}\nanswer: {Cut(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The sample manifest with an instant sim (no simulated latency), so hundreds of requests take seconds.</summary>
    internal static string InstantSim(string yaml) => yaml.Replace(
        "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }",
        "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { latency_scale: 0 }",
        StringComparison.Ordinal);

    /// <summary>Null when the parser accepted the body or refused it with a 4xx it can write in its format; else what went wrong.</summary>
    internal static string? ParseProblem(IWireFormat wire, string body)
    {
        try
        {
            RequestReader.Parse(Encoding.UTF8.GetBytes(body), wire);
            return null;
        }
        catch (WireException ex)
        {
            if (ex.Status is < 400 or > 499)
            {
                return $"refused with {ex.Status}";
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                wire.WriteError(writer, ex.Kind, ex.Message);
            }

            WireAssert.ErrorMessage(wire is OpenAiWire ? "/v1/chat/completions" : "/v1/messages", Encoding.UTF8.GetString(buffer.WrittenSpan));
            return null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string? HttpProblem(string path, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"status {status}";
        }

        try
        {
            if (status == 200 && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                return text.Contains(path.EndsWith("completions", StringComparison.Ordinal) ? "data: [DONE]" : "event: message_stop", StringComparison.Ordinal)
                    && !text.Contains("\"error\"", StringComparison.Ordinal)
                    ? null
                    : "a stream that did not end cleanly";
            }

            using var doc = JsonDocument.Parse(text);
            if (status == 200)
            {
                var ok = path.EndsWith("completions", StringComparison.Ordinal)
                    ? doc.RootElement.GetProperty("object").GetString() == "chat.completion"
                    : doc.RootElement.GetProperty("type").GetString() == "message";
                return ok ? null : "a 200 that is not a completion in the caller's format";
            }

            WireAssert.ErrorMessage(path, text);
            return null;
        }
        catch (Exception ex)
        {
            return $"status {status}, body not in the caller's format ({ex.GetType().Name}: {ex.Message})";
        }
    }

    private static (string Seed, (int Start, int[] Choices) Case) Case(int i)
    {
        var pcg = new PCG(1, Seed + (ulong)i);
        var seed = pcg.ToString();
        return (seed, Cases.Generate(pcg, null, out _));
    }

    /// <summary>Shrinks the failing case with CsCheck from its seed and fails with the smallest body found.</summary>
    private static void Shrink(string seed, Func<(int Start, int[] Choices), string?> problem, Func<(int Start, int[] Choices), string> body, string original)
    {
        Cases.Sample(c =>
        {
            if (problem(c) is { } p)
            {
                throw new Xunit.Sdk.XunitException(p);
            }
        }, seed: seed, iter: 20_000, threads: 1, print: c => $"start {c.Start}, choices [{string.Join(",", c.Choices)}]: {body(c)}");
        throw new Xunit.Sdk.XunitException("not shrunk: " + original);
    }

    private static (IWireFormat Wire, string[] Starts) Format(string format) =>
        format == "openai" ? (OpenAiWire.Instance, ValidBodies.OpenAi) : (AnthropicWire.Instance, ValidBodies.Anthropic);

    private static string Cut(string text) => text.Length > 600 ? text[..600] + $"… ({text.Length} chars)" : text;
}
