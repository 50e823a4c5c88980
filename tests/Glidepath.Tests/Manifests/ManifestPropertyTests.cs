using CsCheck;
using Glidepath.Errors;
using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Tests.Manifests;

/// <summary>
/// Issue 13's property: 10,000 manifests mutated from the sample either parse (and build a release) or fail
/// as bad input (exit 2); no other exception, ever. Fixed seed, so every run tries the same inputs.
/// </summary>
public sealed class ManifestPropertyTests
{
    public const int Count = 10_000;

    private static readonly Lazy<(string Yaml, InMemoryFiles Files)> Sample = new(() =>
    {
        var root = Path.Combine(TempDir.RepoRoot(), "samples", "support-agent");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".glidepath", StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(root, f)), StringComparer.Ordinal);
        return (File.ReadAllText(Path.Combine(root, ManifestParser.FileName)), new InMemoryFiles(files));
    });

    /// <summary>Parses one input and builds its release: parsed, rejected as bad input, or the unexpected exception.</summary>
    internal static (bool Parsed, Exception? Unexpected) Run(string yaml)
    {
        try
        {
            var manifest = ManifestParser.Parse(yaml, ManifestParser.FileName, Sample.Value.Files);
            ReleaseBuilder.Build(manifest.Release, Sample.Value.Files);
            return (true, null);
        }
        catch (GlidepathException ex) when (ex.Kind == FailureKind.BadInput)
        {
            return (false, null);
        }
        catch (Exception ex)
        {
            return (false, ex);
        }
    }

    [Fact]
    public void Parse_TenThousandMutatedManifests_OnlySuccessOrBadInput()
    {
        var gen = InputMutations.Mutations.Select(m => InputMutations.Apply(Sample.Value.Yaml, m, json: false));
        var failures = new List<string>();
        var rejected = 0;
        foreach (var (yaml, seed) in InputMutations.Deterministic(gen, Count, stream: 13))
        {
            var (parsed, unexpected) = Run(yaml);
            if (unexpected is not null)
            {
                failures.Add($"seed {seed}: {unexpected.GetType().Name}: {unexpected.Message}");
            }
            else if (!parsed)
            {
                rejected++;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Count} inputs threw something other than bad input:\n{string.Join('\n', failures.Take(10))}");
        Assert.InRange(rejected, Count / 4, Count); // the mutations really produce bad input, not only no-ops
    }

    /// <summary>A file source over the sample's bytes, so ten thousand parses do not walk the disk.</summary>
    internal sealed class InMemoryFiles(Dictionary<string, byte[]> files) : IFileSource
    {
        private readonly IReadOnlyList<string> _list = files.Keys.Order(StringComparer.Ordinal).ToList();

        public string Origin => "memory";

        public bool Exists(string relativePath) => files.ContainsKey(relativePath);

        public byte[] ReadAllBytes(string relativePath) => files[relativePath];

        public IReadOnlyList<string> ListFiles() => _list;
    }
}
