using System.Globalization;

namespace Glidepath.Traces;

/// <summary>
/// Trace aggregates are kept per subject group: a subject (user, conversation) always falls in the same one of
/// <see cref="Count"/> groups, taken from its one-way hash; a request without a sticky subject falls in a group
/// taken from its trace id. The judge treats groups as its independent units (cluster-robust variance), so a
/// subject's many requests count as one subject's evidence, and a group with any request proves at least one
/// distinct subject.
/// </summary>
public static class SubjectGroups
{
    /// <summary>Number of groups. 64 keeps aggregates small while leaving the variance 63 degrees of freedom.</summary>
    public const int Count = 64;

    /// <summary>The group of a request: from the subject hash when it has one, else from the trace id.</summary>
    public static int Of(string? subjectHash, string traceId)
    {
        // A subject hash is our own sha256 output: its first byte is uniform.
        if (!string.IsNullOrEmpty(subjectHash) && subjectHash.Length >= 2
            && int.TryParse(subjectHash.AsSpan(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var top))
        {
            return top % Count;
        }

        // A trace id may come from the caller (traceparent) and need not be random in its first digits
        // (counters, time prefixes): every character is mixed in (FNV-1a, then a final avalanche).
        var key = string.IsNullOrEmpty(subjectHash) ? traceId : subjectHash;
        var h = 2166136261u;
        foreach (var c in key)
        {
            h = (h ^ c) * 16777619u;
        }

        h ^= h >> 16;
        h *= 0x7feb352du;
        h ^= h >> 15;
        return (int)(h % Count);
    }
}
