namespace Glidepath.Gateway.Admin;

/// <summary>What may be logged of a refused credential: why, and what of it is public.</summary>
/// <param name="Reason">The kind of refusal (the rate limit's key).</param>
/// <param name="Credential">
/// The credential's public part only: a token's id (<c>tok_…</c>) when the store knows it, else its type prefix
/// (<c>gpt_</c>, <c>gpk_</c>) or <c>jwt</c>. Never any character of the secret.
/// </param>
/// <param name="Detail">Why, in words (e.g. "it is for another audience"); never quoting the credential.</param>
internal readonly record struct TokenRefusal(RefusedCredential Reason, string Credential, string Detail);
