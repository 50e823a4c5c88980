using System.Text;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The answer's text as it arrives, for capture, online scoring and the shadow pair: a whole answer's one string is
/// kept as it is (no copy); a stream's pieces are joined once, when first read. Not thread-safe: one call fills it.
/// </summary>
internal sealed class AnswerText
{
    private string? _first;
    private StringBuilder? _pieces;

    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (_pieces is not null)
        {
            _pieces.Append(text);
        }
        else if (_first is null)
        {
            _first = text;
        }
        else
        {
            _pieces = new StringBuilder(_first.Length + text.Length + 256).Append(_first).Append(text);
        }
    }

    /// <summary>The text so far (the same string on every read until more arrives).</summary>
    public override string ToString()
    {
        if (_pieces is not null)
        {
            (_first, _pieces) = (_pieces.ToString(), null);
        }

        return _first ?? "";
    }
}
