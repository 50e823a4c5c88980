using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Testing;

/// <summary>
/// Trace ids for traces a test writes straight into the store, the same on every run: a request without a subject is
/// grouped by its trace id (<c>SubjectGroups.Of</c>), and the judges' variance is computed over those groups, so random
/// ids would give a borderline interval a different side of its tolerance from run to run.
/// </summary>
internal static class TestTraceIds
{
    /// <summary>32 hex digits from <paramref name="key"/> (what the batch is, e.g. environment, release, arm, start) and <paramref name="index"/>.</summary>
    public static string Of(string key, int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}#{index}")).AsSpan(0, 16));
}
