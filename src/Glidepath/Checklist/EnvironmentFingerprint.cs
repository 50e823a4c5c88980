using System.Security.Cryptography;
using System.Text.Json;
using Glidepath.Manifests;

namespace Glidepath.Checklist;

/// <summary>
/// sha256 of an environment's manifest entry (providers, vars, requires, owner) in a stable order: when it
/// changes, a rollback drill run before the change no longer proves the way back.
/// </summary>
public static class EnvironmentFingerprint
{
    public static string Compute(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            w.WriteString("owner", spec.Owner);
            w.WriteStartArray("requires");
            foreach (var r in spec.Requires.Order(StringComparer.Ordinal))
            {
                w.WriteStringValue(r);
            }

            w.WriteEndArray();
            w.WriteStartObject("vars");
            foreach (var (k, v) in spec.Vars.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            w.WriteStartObject("providers");
            foreach (var (k, v) in spec.Providers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(k);
                JsonSerializer.Serialize(w, v);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    internal static string Short(string sha) => sha[..12] + "…";
}
