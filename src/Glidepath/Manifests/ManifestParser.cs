using Glidepath.Evals.Scorers;
using Glidepath.Files;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Parses <c>glidepath.yaml</c> into a <see cref="Manifest"/> and validates all of it (keys, types,
/// files, globs, tools), reporting every problem at once as <c>file:line:col: what; expected</c>.
/// Each section is read by its own class next to the record it builds (<c>Release/ReleaseSection.cs</c>, …);
/// this class loads the YAML within <see cref="ManifestLimits"/> and puts the sections together.
/// </summary>
public static class ManifestParser
{
    public const string FileName = "glidepath.yaml";

    private static readonly string[] TopKeys = ["app", "release", "providers", "prices", "eval", "environments", "rollout", "online", "capture", "shadow", "traces"];

    /// <summary>The built-in scorer types; never handed out, so nothing registers into it.</summary>
    private static readonly ScorerRegistry BuiltInScorerTypes = ScorerRegistry.CreateDefault();

    /// <summary>Loads the manifest at <paramref name="path"/>, resolving files against its folder; scorers may name the built-in types.</summary>
    public static Manifest Load(string path) => Load(path, BuiltInScorerTypes);

    /// <summary>
    /// Loads the manifest at <paramref name="path"/>, resolving files against its folder; scorers may name any type in
    /// <paramref name="scorers"/>, so a type registered in code can be named in the manifest.
    /// </summary>
    public static Manifest Load(string path, ScorerRegistry scorers)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ManifestException([new ManifestError(path, 0, 0, "no such file; expected a glidepath.yaml (run 'glidepath init' to create one)")]);
        }

        var bytes = Files.BoundedFile.ReadAllBytes(full, ManifestLimits.MaxBytes)
            ?? throw new ManifestException([new ManifestError(Path.GetFileName(full), 0, 0, $"the manifest is larger than {ManifestLimits.MaxBytes / 1024} KiB; expected a smaller file")]);
        var dir = Path.GetDirectoryName(full)!;
        return Parse(DecodeUtf8(bytes, Path.GetFileName(full)), Path.GetFileName(full), new WorkingTreeFileSource(dir), scorers) with { FilePath = full, BaseDirectory = dir };
    }

    /// <summary>
    /// The manifest's text, strictly UTF-8 (a byte-order mark is skipped): bytes that are not UTF-8 are an error at
    /// their line and column, not a YAML parser's complaint about what the replacement characters did to the structure.
    /// </summary>
    internal static string DecodeUtf8(byte[] bytes, string fileName)
    {
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(start), chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == System.Buffers.OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }

        var before = chars.AsSpan(0, written);
        var line = 1 + before.Count('\n');
        var column = written - (before.LastIndexOf('\n') + 1) + 1;
        throw new ManifestException([new ManifestError(fileName, line, column,
            $"byte 0x{bytes[start + read]:X2} is not valid UTF-8; expected the manifest saved as UTF-8 text")]);
    }

    /// <summary>Parses manifest text; files it names are checked in <paramref name="files"/>; scorers may name the built-in types.</summary>
    public static Manifest Parse(string yaml, string fileName, IFileSource files) => Parse(yaml, fileName, files, BuiltInScorerTypes);

    /// <summary>Parses manifest text; files it names are checked in <paramref name="files"/>; scorers may name any type in <paramref name="scorers"/>.</summary>
    public static Manifest Parse(string yaml, string fileName, IFileSource files, ScorerRegistry scorers)
    {
        var r = new YamlNodeReader(fileName);
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(yaml, "the manifest");
        }
        catch (YamlSyntaxException ex)
        {
            r.Error(ex.Where, ex.Message);
            throw new ManifestException(r.Errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            r.Error(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode, "the manifest must be a mapping; expected 'app:' and 'release:' at the top level");
            throw new ManifestException(r.Errors);
        }

        r.CheckKeys(root, "the manifest", TopKeys);
        var app = r.String(YamlNodeReader.Get(root, "app"), "app", required: true, parent: root);
        if (app is not null && !AppName.IsValid(app))
        {
            r.Error(YamlNodeReader.Get(root, "app"), $"app '{app}' is not a valid name; expected lower-case letters, digits, '.', '_' or '-'");
        }

        var releaseNode = YamlNodeReader.Get(root, "release");
        if (releaseNode is null)
        {
            r.Error(root, "missing 'release:' section; expected model, prompt, tools and files");
        }

        var release = ReleaseSection.Parse(r, r.Mapping(releaseNode, "release"), files);
        var providers = ProvidersSection.Parse(r, YamlNodeReader.Get(root, "providers"), "providers");
        var prices = PricesSection.Parse(r, YamlNodeReader.Get(root, "prices"));
        var eval = EvalSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "eval"), "eval"), files, scorers, prices);
        var environments = EnvironmentsSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "environments"), "environments"));
        var rollout = RolloutSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "rollout"), "rollout"));
        var online = OnlineSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "online"), "online"), files, scorers, prices);
        var capture = CaptureSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "capture"), "capture"));
        var shadow = ShadowSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "shadow"), "shadow"));
        var traces = TracesSection.Parse(r, r.Mapping(YamlNodeReader.Get(root, "traces"), "traces"));

        if (r.Errors.Count > 0 || app is null || release is null)
        {
            throw new ManifestException(r.Errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new Manifest
        {
            App = app,
            Release = release,
            Providers = providers,
            Prices = prices,
            Eval = eval,
            Environments = environments,
            Rollout = rollout,
            Online = online,
            Capture = capture,
            Shadow = shadow,
            Traces = traces,
        };
    }
}
