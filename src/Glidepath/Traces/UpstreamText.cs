using System.Text.RegularExpressions;

namespace Glidepath.Traces;

/// <summary>
/// Makes a provider's error message safe to keep on a trace: personal data redacted (every kind the content
/// redactor knows), anything shaped like a key or bearer token replaced by <c>[secret]</c>, whitespace folded,
/// at most <see cref="MaxLength"/> characters.
/// </summary>
public static partial class UpstreamText
{
    public const int MaxLength = 300;

    private static readonly string[] AllKinds = ["email", "phone", "credit_card", "ip"];

    public static string? Scrub(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        var text = Secret().Replace(Bearer().Replace(message, "[secret]"), "[secret]");
        text = ContentRedactor.Redact(text, AllKinds);
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
    }

    [GeneratedRegex(@"\bBearer\s+[A-Za-z0-9._\-~+/=]{8,}")]
    private static partial Regex Bearer();

    // sk-…, sk-ant-…, pk_/rk_ live keys, our own gpk_ keys, and key=value / "api_key": "…" pairs.
    [GeneratedRegex(@"\b(?:sk|pk|rk|gpk)[-_][A-Za-z0-9_\-]{8,}|(?i:api[_-]?key|x-api-key|authorization)[""']?\s*[:=]\s*[""']?[^\s""',}]{6,}")]
    private static partial Regex Secret();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
