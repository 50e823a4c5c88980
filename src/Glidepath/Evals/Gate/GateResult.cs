using System.Text.Json.Serialization;
using Glidepath.Storage;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate's verdict: the baseline is held or beaten (pass), or not (blocked); error is fail-closed.
/// Stored and reported as <c>pass</c>, <c>blocked</c>, <c>error</c> (<see cref="StoredName"/>).
/// </summary>
[JsonConverter(typeof(StoredNameJsonConverter<GateResult>))]
public enum GateResult
{
    Pass,
    Blocked,
    Error,
}
