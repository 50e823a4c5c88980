namespace Glidepath.Cli.Remote.Answers;

/// <summary>The admin API's keys answers: a list (<c>{app, keys}</c>), a creation (<c>{key, info}</c>) or a revocation (<c>{revoked}</c>).</summary>
internal sealed record KeysAnswer(string? App, IReadOnlyList<KeyRow>? Keys, string? Key, KeyRow? Info, KeyRow? Revoked);
