namespace Glidepath.Evals.Runs;

/// <summary>
/// Who is running an eval run right now: one process at a time runs a run (a new run, or a <c>--resume</c>), so the
/// judge's <c>max_spend_usd</c>, which each process enforces against the spend it read at its start, holds for the run
/// (trial gatejudge3 M1: two resumes at once each spent the whole headroom). Renewed while the run goes; a lease left by a
/// process that crashed expires at <see cref="ExpiresAt"/>, or is taken over at once when its process is gone
/// (<see cref="RunHolder"/>).
/// </summary>
/// <param name="Holder">The holding process's id, unique per process and run (<see cref="RunHolder.Id"/>).</param>
/// <param name="Host">The machine it runs on, as it names itself.</param>
/// <param name="Pid">Its process id on that machine.</param>
/// <param name="Since">When it took the lease (a renewal keeps it).</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed before.</param>
public sealed record EvalRunLease(string Holder, string Host, int Pid, DateTimeOffset Since, DateTimeOffset ExpiresAt);
