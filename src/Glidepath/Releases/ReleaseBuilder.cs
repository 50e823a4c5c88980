using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Files;
using Glidepath.Manifests;

namespace Glidepath.Releases;

/// <summary>Builds a release's canonical JSON and content-addressed id from a manifest and its files.</summary>
public static class ReleaseBuilder
{
    /// <summary>Version of the canonical layout; part of the hashed content so a layout change never collides.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// Largest release accepted, in bytes of canonical JSON (which holds every file's content; binary files
    /// count as base64): 16 MiB. A release is immutable and kept forever, so the limit is checked before it
    /// is stored.
    /// </summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public static (string Id, string CanonicalJson) Build(ReleaseSpec spec, IFileSource files)
    {
        var model = new JsonObject
        {
            ["provider"] = spec.Model.Provider,
            ["name"] = spec.Model.Name,
            ["parameters"] = Parameters(spec.Model.Parameters),
            ["options"] = new JsonObject(spec.Model.Options.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))),
        };

        var resolvedFiles = spec.Files.SelectMany(g => FileGlob.Expand(files, g)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var content = new JsonObject();
        long total = 0;
        foreach (var path in new[] { spec.Prompt.System }.Concat(spec.Tools).Concat(resolvedFiles).Distinct(StringComparer.Ordinal))
        {
            var bytes = files.ReadAllBytes(path);
            total += bytes.Length;
            if (total > MaxBytes)
            {
                throw TooLarge($"its files reach {total:N0} bytes at '{path}'");
            }

            content[path] = FileEntry(bytes);
        }

        var root = new JsonObject
        {
            ["format"] = FormatVersion,
            ["model"] = model,
            ["prompt"] = new JsonObject { ["system"] = spec.Prompt.System },
            ["tools"] = new JsonArray(spec.Tools.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["files"] = new JsonArray(resolvedFiles.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["content"] = content,
        };

        var json = CanonicalJson.Serialize(root);
        if (Encoding.UTF8.GetByteCount(json) is var size && size > MaxBytes)
        {
            throw TooLarge($"its canonical JSON is {size:N0} bytes");
        }

        return (HashHex(Encoding.UTF8.GetBytes(json)), json);
    }

    private static BadInputException TooLarge(string why) =>
        new($"the release is larger than the {MaxBytes / (1024 * 1024)} MiB limit: {why}; expected prompts, tools and agent files, not data (narrow the files: globs)");

    public static string HashHex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static JsonObject Parameters(ModelParameters p)
    {
        var o = new JsonObject();
        if (p.Temperature is { } t)
        {
            o["temperature"] = t;
        }

        if (p.MaxTokens is { } m)
        {
            o["max_tokens"] = m;
        }

        if (p.TopP is { } tp)
        {
            o["top_p"] = tp;
        }

        if (p.TopK is { } tk)
        {
            o["top_k"] = tk;
        }

        if (p.Seed is { } s)
        {
            o["seed"] = s;
        }

        if (p.Stop is { } stop)
        {
            o["stop"] = new JsonArray(stop.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        }

        return o;
    }

    /// <summary>File bytes as-is: UTF-8 text (no BOM) is stored as text, anything else as base64.</summary>
    private static JsonObject FileEntry(byte[] bytes)
    {
        var isUtf8Text = !(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) && IsValidUtf8(bytes);
        return isUtf8Text
            ? new JsonObject { ["text"] = Encoding.UTF8.GetString(bytes) }
            : new JsonObject { ["base64"] = Convert.ToBase64String(bytes) };
    }

    private static bool IsValidUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(bytes);
            return !bytes.Contains((byte)0);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
