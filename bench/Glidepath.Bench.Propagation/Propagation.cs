using System.Diagnostics;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;

namespace Glidepath.Bench.Propagation;

/// <summary>Three real gateways on one store; rollbacks committed in-process; each gateway's /readyz revision watched.</summary>
internal static class Propagation
{
    private const string App = "support-agent";
    private const string Env = "staging";

    public static async Task<List<double>> RunAsync(string cli, string repo, string store, string[] flags, int rollbacks)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gp-bench-app-" + Guid.NewGuid().ToString("N"));
        CopyTree(Path.Combine(repo, "samples", "support-agent"), dir);
        var manifest = Path.Combine(dir, "glidepath.yaml");
        await CliAsync(cli, manifest, store, "release", "create", "-m", "v1");
        File.AppendAllText(Path.Combine(dir, "prompts", "system.md"), "- Gift wrapping: free on request.\n");
        await CliAsync(cli, manifest, store, "release", "create", "-m", "v2");
        await CliAsync(cli, manifest, store, "deploy", "v1", "--env", Env);
        await CliAsync(cli, manifest, store, "deploy", "v2", "--env", Env);

        var gateways = new List<(Process Process, string Url)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                gateways.Add(await StartAsync(cli, manifest, store, flags));
            }

            await using var db = await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(store, create: false, TimeProvider.System, default);
            var v1 = (await db.Releases.GetByVersionAsync(App, 1, default))!;
            var v2 = (await db.Releases.GetByVersionAsync(App, 2, default))!;
            using var http = new HttpClient();
            // Warm-up, not measured: the first swaps build each release's client pipeline and JIT the paths.
            for (var i = 0; i < 5; i++)
            {
                await ChangeAndWaitAsync(db, http, gateways, current => Change(current, v1.Id, "rollback"));
                await ChangeAndWaitAsync(db, http, gateways, current => Change(current, v2.Id, "deploy"));
            }

            var samples = new List<double>(rollbacks);
            for (var i = 0; i < rollbacks; i++)
            {
                // Rollback v2 → v1 (measured), then deploy v2 again (waited for, not measured).
                samples.Add(await ChangeAndWaitAsync(db, http, gateways, current => Change(current, v1.Id, "rollback")));
                await ChangeAndWaitAsync(db, http, gateways, current => Change(current, v2.Id, "deploy"));
            }

            return samples;
        }
        finally
        {
            foreach (var (process, _) in gateways)
            {
                process.Kill();
                await process.WaitForExitAsync();
                process.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static EnvironmentChange Change(EnvironmentState current, string release, string kind) => new()
    {
        App = App,
        Environment = Env,
        ExpectedRevision = current.Revision,
        NewState = current with { StableReleaseId = release, StableSince = DateTimeOffset.UtcNow, StableBy = "bench" },
        Event = new EnvironmentEvent
        {
            App = App, Environment = Env, Revision = 0, Kind = kind, Actor = "bench", Time = DateTimeOffset.UtcNow,
            FromReleaseId = current.StableReleaseId, ToReleaseId = release, Reason = "propagation bench",
        },
    };

    private static async Task<double> ChangeAndWaitAsync(IGlidepathStore db, HttpClient http, List<(Process Process, string Url)> gateways, Func<EnvironmentState, EnvironmentChange> change)
    {
        var current = await db.Environments.GetAsync(App, Env, default);
        var applied = await db.Environments.ApplyAsync(change(current), default);
        var committed = Stopwatch.StartNew();
        var waits = gateways.Select(async g =>
        {
            while (await RevisionAsync(http, g.Url) < applied.Revision)
            {
                if (committed.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{g.Url} never served revision {applied.Revision}");
                }
            }

            return committed.Elapsed.TotalMilliseconds;
        }).ToList();
        return (await Task.WhenAll(waits)).Max();
    }

    private static async Task<long> RevisionAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url + "/readyz");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("revision").GetInt64();
    }

    private static async Task<(Process, string)> StartAsync(string cli, string manifest, string store, string[] flags)
    {
        var psi = Psi(cli, ["serve", "--manifest", manifest, "--store", store, "--env", Env, "--urls", "http://127.0.0.1:0", "--format", "json", .. flags]);
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        // --format json prints one (indented) object once listening.
        var json = new System.Text.StringBuilder();
        string? line;
        do
        {
            line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("glidepath serve exited before listening");
            json.AppendLine(line);
        }
        while (line != "}");

        _ = process.StandardOutput.ReadToEndAsync();
        using var doc = JsonDocument.Parse(json.ToString());
        return (process, doc.RootElement.GetProperty("urls")[0].GetString()!);
    }

    private static async Task CliAsync(string cli, string manifest, string store, params string[] args)
    {
        using var process = Process.Start(Psi(cli, ["--manifest", manifest, "--store", store, .. args]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"glidepath {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
    }

    private static ProcessStartInfo Psi(string cli, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
