using System.Diagnostics;
using System.Globalization;

namespace Glidepath.Bench.Gateway;

/// <summary>
/// nginx as the static upstream (<c>return 200</c> with a fixed chat completion, or a fixed server-sent-event stream) and
/// as a <c>proxy_pass</c> in front of it, for the pass-through bench. Installed from Debian with apt-get when missing.
/// </summary>
internal sealed class StaticUpstream : IDisposable
{
    public const string Completion = """{"id":"chatcmpl-static","object":"chat.completion","created":1700000000,"model":"mock","choices":[{"index":0,"message":{"role":"assistant","content":"Items can be returned within 30 days of delivery."},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":11,"total_tokens":35}}""";

    private const string Chunk = """{"id":"chatcmpl-static","object":"chat.completion.chunk","created":1700000000,"model":"mock","choices":[{"index":0,"delta":{CONTENT},"finish_reason":FINISH}]}""";

    public static readonly string Stream =
        "data: " + Chunk.Replace("CONTENT", "\"role\":\"assistant\",\"content\":\"Items can be returned\"", StringComparison.Ordinal).Replace("FINISH", "null", StringComparison.Ordinal) + "\n\n" +
        "data: " + Chunk.Replace("CONTENT", "\"content\":\" within 30 days.\"", StringComparison.Ordinal).Replace("FINISH", "\"stop\"", StringComparison.Ordinal) + "\n\n" +
        "data: {\"id\":\"chatcmpl-static\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"mock\",\"choices\":[],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":11,\"total_tokens\":35}}\n\n" +
        "data: [DONE]\n\n";

    private readonly Process _nginx;
    private readonly string _dir;

    private StaticUpstream(Process nginx, string dir, int whole, int stream, int proxy, int streamProxy)
    {
        _nginx = nginx;
        _dir = dir;
        WholeUrl = $"http://127.0.0.1:{whole}";
        StreamUrl = $"http://127.0.0.1:{stream}";
        ProxyUrl = $"http://127.0.0.1:{proxy}";
        StreamProxyUrl = $"http://127.0.0.1:{streamProxy}";
    }

    /// <summary>Answers every POST with <see cref="Completion"/>.</summary>
    public string WholeUrl { get; }

    /// <summary>Answers every POST with <see cref="Stream"/> (text/event-stream).</summary>
    public string StreamUrl { get; }

    /// <summary>nginx <c>proxy_pass</c> to <see cref="WholeUrl"/> (keep-alive upstream connections).</summary>
    public string ProxyUrl { get; }

    /// <summary>nginx <c>proxy_pass</c> to <see cref="StreamUrl"/>, unbuffered.</summary>
    public string StreamProxyUrl { get; }

    public static async Task<StaticUpstream> StartAsync(Func<int> freePort)
    {
        await EnsureInstalledAsync("nginx", "nginx");
        var (whole, stream, proxy, streamProxy) = (freePort(), freePort(), freePort(), freePort());
        var dir = Path.Combine(Path.GetTempPath(), "gp-bench-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var conf = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              keepalive_requests 10000000;
              upstream whole { server 127.0.0.1:{{whole}}; keepalive 128; }
              upstream stream { server 127.0.0.1:{{stream}}; keepalive 128; }
              server { listen 127.0.0.1:{{whole}}; location / { default_type application/json; return 200 '{{Completion}}'; } }
              server { listen 127.0.0.1:{{stream}}; location / { default_type text/event-stream; return 200 '{{Stream}}'; } }
              server { listen 127.0.0.1:{{proxy}}; location / { proxy_pass http://whole; proxy_http_version 1.1; proxy_set_header Connection ""; } }
              server { listen 127.0.0.1:{{streamProxy}}; location / { proxy_pass http://stream; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; } }
            }
            """);
        var nginx = Process.Start(new ProcessStartInfo("nginx", ["-p", dir, "-c", conf, "-g", "daemon off;"]) { RedirectStandardError = true })!;
        var upstream = new StaticUpstream(nginx, dir, whole, stream, proxy, streamProxy);
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var r = await http.PostAsync(upstream.ProxyUrl + "/v1/chat/completions", new StringContent("{}"));
                if (r.IsSuccessStatusCode)
                {
                    return upstream;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("nginx did not start: " + await File.ReadAllTextAsync(Path.Combine(dir, "error.log")));
    }

    /// <summary>Installs a Debian package when its command is missing (the bench runs as root on a throwaway machine).</summary>
    public static async Task EnsureInstalledAsync(string command, string package)
    {
        if (Which(command))
        {
            return;
        }

        Console.Error.WriteLine($"{command} is missing: apt-get install {package}…");
        foreach (var args in new[] { "update -qq", $"install -y -qq {package}" })
        {
            using var apt = Process.Start(new ProcessStartInfo("apt-get", args) { Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" } })!;
            await apt.WaitForExitAsync();
        }

        if (!Which(command))
        {
            throw new InvalidOperationException($"could not install {package} with apt-get; install {command} and run again");
        }
    }

    public static bool Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, command)));

    public void Dispose()
    {
        try
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _nginx.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
