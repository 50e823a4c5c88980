namespace Glidepath.Traces;

/// <summary>
/// One caller key's requests and errors (<see cref="TraceRecord.IsError"/>) of one subject on one release and arm, as
/// <see cref="Storage.ITraceStore.ErrorsByKeyAsync"/> groups them: what the per-key error guard of a rollout reads
/// (<see cref="Rollouts.KeyHarm"/>).
/// </summary>
/// <param name="KeyName">The caller key's name (requests without a key are never grouped).</param>
/// <param name="SubjectHash">The subject's hash; null for the key's requests without a subject, all in one row.</param>
/// <param name="Requests">Requests counted.</param>
/// <param name="Errors">Of them, errors as <see cref="TraceRecord.IsError"/> counts them.</param>
public sealed record KeySubjectErrors(string KeyName, string? SubjectHash, long Requests, long Errors);
