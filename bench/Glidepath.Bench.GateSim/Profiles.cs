namespace Glidepath.Bench.GateSim;

/// <summary>How flaky an unchanged suite is: each case's pass rate, the same on both sides.</summary>
internal static class Profiles
{
    public static readonly string[] Names = ["all stable (100%)", "10 cases flaky at 50%", "all at 90%", "all at 70%", "all flaky at 50%", "mixed 50–100%"];

    /// <summary>Pass rate of case <paramref name="i"/> of <paramref name="size"/> under the named profile (mixed: a fixed spread, 60% stable).</summary>
    public static double Rate(string profile, int i, int size) => profile switch
    {
        "all stable (100%)" => 1.0,
        "10 cases flaky at 50%" => i < 10 ? 0.5 : 1.0,
        "all at 90%" => 0.9,
        "all at 70%" => 0.7,
        "all flaky at 50%" => 0.5,
        _ => i % 5 < 3 ? 1.0 : 0.5 + (0.5 * ((i * 7919) % 101) / 101.0),
    };

    public static Suite Unchanged(string profile, int size) =>
        new($"{profile}", Enumerable.Range(0, size).Select(i => (Rate(profile, i, size), Rate(profile, i, size))).ToArray());
}
