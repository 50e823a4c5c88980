using System.Text.Json.Nodes;
using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Providers.Tests;

/// <summary>A copy of samples/support-agent in a temp folder, loaded as a manifest and a release snapshot.</summary>
internal sealed class SampleApp : IDisposable
{
    public SampleApp(Func<string, string>? editPrompt = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "glidepath-providers-" + Guid.NewGuid().ToString("N")[..12]);
        Copy(Path.Combine(RepoRoot(), "samples", "support-agent"), Directory);
        if (editPrompt is not null)
        {
            var prompt = Path.Combine(Directory, "prompts", "system.md");
            File.WriteAllText(prompt, editPrompt(File.ReadAllText(prompt)));
        }

        Manifest = ManifestParser.Load(Path.Combine(Directory, "glidepath.yaml"));
        var (_, json) = ReleaseBuilder.Build(Manifest.Release, new WorkingTreeFileSource(Manifest.BaseDirectory));
        Snapshot = ReleaseSnapshot.FromCanonicalJson(json);
    }

    public string Directory { get; }

    public Manifest Manifest { get; }

    public ReleaseSnapshot Snapshot { get; }

    /// <summary>The sample's eval cases.</summary>
    public IReadOnlyList<JsonObject> Cases() =>
        [.. File.ReadAllLines(Path.Combine(Directory, "evals", "support.jsonl")).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())];

    /// <summary>The release's model with extra sim options (latency_scale 0 for fast tests, a seed, faults).</summary>
    public ModelSpec Model(params (string Key, JsonNode? Value)[] options)
    {
        var merged = new Dictionary<string, JsonNode?>(Snapshot.Model.Options, StringComparer.Ordinal) { ["latency_scale"] = 0 };
        foreach (var (key, value) in options)
        {
            merged[key] = value;
        }

        return Snapshot.Model with { Options = merged };
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Glidepath.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Glidepath.slnx) above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Copy(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.StartsWith(".glidepath", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, rel);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
