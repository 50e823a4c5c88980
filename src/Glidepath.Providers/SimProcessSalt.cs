using System.Security.Cryptography;

namespace Glidepath.Providers;

/// <summary>
/// The per-process part of the sim's per-call draws (faults, off-policy answers, latency). Without one every process
/// draws the same sequence from call 0, so N gateways of one drill inject the same faults at the same call numbers and
/// a restarted gateway replays them from the start (trial pgoutage, 2026-12-06).
/// </summary>
public static class SimProcessSalt
{
    /// <summary>Environment variable that fixes a serving process's salt, for tests and reproducible drills.</summary>
    public const string VariableName = "GLIDEPATH_SIM_SALT";

    /// <summary>
    /// The salt of a serving process: <see cref="VariableName"/> when set to a non-empty value, else a random one,
    /// so each gateway process draws its own sequence. The release id is not involved.
    /// </summary>
    public static string ForProcess(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return getEnvironmentVariable(VariableName) is { Length: > 0 } fixedSalt
            ? fixedSalt
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    }
}
