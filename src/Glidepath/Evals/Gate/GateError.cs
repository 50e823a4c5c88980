namespace Glidepath.Evals.Gate;

/// <summary>A trial that could not be scored (provider, scorer or judge failure): it makes the verdict an error.</summary>
public sealed record GateError(string Side, string CaseId, int Trial, string Message);
