namespace Glidepath.Bench.CanarySim;

/// <summary>
/// One scenario for the netted hold: sticky subjects (Pareto(1.2) activity) holding caller keys, a share of every
/// request refused on either arm, and, for an attack, a canary timing out on ordinary callers' requests while an
/// attacker's key makes stable time out.
/// </summary>
/// <param name="Keys">Caller keys the subjects share (Zipf usage); 0: one key per subject (a key's traffic on one arm).</param>
/// <param name="Refusals">Share of every request refused on either arm (a shared one-arm error).</param>
/// <param name="HeavyRefusers">The most active subjects whose own requests are refused 30% of the time on either arm.</param>
/// <param name="CanaryTimeouts">Extra share of ordinary callers' canary requests that time out (the harm netting hides).</param>
/// <param name="AttackShare">The share of stable's requests the attacker makes time out (0: no attacker).</param>
/// <param name="AttackKeys">Keys the attacker spreads its requests over.</param>
/// <param name="AttackPinned">Whether the attacker's subjects all land on stable (it picked subjects that hash there).</param>
/// <param name="AttackRefused">
/// The share of all requests the attacker also sends that both arms refuse, under its own keys (outside trial attacker4:
/// its key then makes up over half of the canary's such errors, and the arms' shares by key overlap above one half).
/// </param>
internal sealed record NettingScenario(
    string Key,
    string Title,
    int Subjects,
    int Keys,
    double Weight,
    double Refusals,
    int HeavyRefusers = 0,
    double CanaryTimeouts = 0,
    double AttackShare = 0,
    int AttackKeys = 1,
    bool AttackPinned = false,
    double AttackRefused = 0)
{
    public bool Attack => AttackShare > 0;

    /// <summary>The share of all requests the attacker sends so that its timeouts are <see cref="AttackShare"/> of stable's requests.</summary>
    public double AttackTraffic => !Attack ? 0
        : AttackPinned ? AttackShare * (1 - Weight) / ((1 - Weight) + (AttackShare * Weight))
        : AttackShare;
}
