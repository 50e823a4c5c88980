namespace Glidepath.Cli.Remote.Answers;

/// <summary>The admin API's tokens answers: a list (<c>{app, tokens}</c>), a creation (<c>{token, info}</c>) or a revocation (<c>{revoked}</c>).</summary>
internal sealed record TokensAnswer(string? App, IReadOnlyList<TokenRow>? Tokens, string? Token, TokenRow? Info, TokenRow? Revoked);
