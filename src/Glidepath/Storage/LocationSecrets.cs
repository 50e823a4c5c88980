namespace Glidepath.Storage;

/// <summary>
/// The parts of a store location that could hold a password, found by reading the text itself rather than by the
/// provider's parser, so that a location the provider cannot parse is covered too (a message about such a location is
/// exactly where a password leaked). Every reading errs towards hiding more:
/// <list type="bullet">
/// <item>a URI (<c>scheme://…</c>): everything from the first <c>:</c> after <c>//</c> to the <em>last</em> <c>@</c>, so a
/// password with an unencoded <c>/</c>, <c>?</c>, <c>#</c> or <c>@</c> is covered whole; and the value of a
/// <c>password=</c>-like key in the query, to the end of the text;</item>
/// <item>a connection string (<c>Key=value;…</c>), read as ADO.NET does (a value in <c>'…'</c> or <c>"…"</c> may hold
/// <c>;</c>; a doubled quote is one quote): the value of every <c>Password</c>, <c>Pwd</c>, <c>Psw</c> or
/// <c>SSL Password</c>, to the end of the text when its quote is not closed, and any segment right after it that has no
/// <c>=</c> (a password with an unquoted <c>;</c>) or whose key the provider does not know.</item>
/// </list>
/// </summary>
public sealed class LocationSecrets
{
    private const string Mask = "***";

    // Where a password's pieces split in either syntax: a reader that cuts there can echo a piece on its own.
    private static readonly char[] Separators = [';', '&', '/', '@', '?', '#', '=', '\'', '"', ',', ':', ' ', '\t', '\r', '\n'];

    private static readonly System.Buffers.SearchValues<char> SchemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private readonly List<string> _pieces = [];

    private LocationSecrets(string location, List<(int Start, int End)> spans)
    {
        var masked = new System.Text.StringBuilder(location.Length);
        var at = 0;
        foreach (var (start, end) in Merged(spans))
        {
            masked.Append(location, at, start - at).Append(Mask);
            at = end;
            var secret = location[start..end];
            AddPiece(secret);
            foreach (var piece in secret.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                AddPiece(piece);
            }
        }

        Masked = masked.Append(location, at, location.Length - at).ToString();
    }

    /// <summary>The location with every part that could hold a password replaced by <c>***</c>.</summary>
    public string Masked { get; }

    /// <summary>
    /// Finds the secrets in <paramref name="location"/>. <paramref name="isKnownKey"/>, when given, tells a connection
    /// string's keys the provider knows: an unknown key right after a password is read as more of the password.
    /// </summary>
    public static LocationSecrets In(string location, Func<string, bool>? isKnownKey = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new LocationSecrets(location, IsUri(location) ? UriSpans(location) : KeyValueSpans(location, isKnownKey));
    }

    /// <summary>Whether <paramref name="location"/> starts with a URI scheme and <c>://</c>.</summary>
    public static bool IsUri(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var colon = location.IndexOf("://", StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(location[0]) && location.AsSpan(0, colon).IndexOfAnyExcept(SchemeChars) < 0;
    }

    /// <summary>
    /// Whether <paramref name="text"/> (an error's message, say) holds a secret or a piece of one, as written, unescaped
    /// or percent-encoded, in any case (a parser may lower-case what it quotes).
    /// </summary>
    public bool AreIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var piece in _pieces)
        {
            if (text.Contains(piece, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void AddPiece(string piece)
    {
        if (piece.Length == 0)
        {
            return;
        }

        _pieces.Add(piece);
        _pieces.Add(Uri.UnescapeDataString(piece));
        _pieces.Add(Uri.EscapeDataString(piece));
    }

    // In order, overlapping spans joined.
    private static List<(int Start, int End)> Merged(List<(int Start, int End)> spans)
    {
        var merged = new List<(int Start, int End)>(spans.Count);
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, span.End));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    private static List<(int Start, int End)> UriSpans(string location)
    {
        var spans = new List<(int Start, int End)>();
        var authority = location.IndexOf("://", StringComparison.Ordinal) + 3;
        var lastAt = location.LastIndexOf('@');
        var colon = lastAt > authority ? location.IndexOf(':', authority, lastAt - authority) : -1;
        if (colon >= 0)
        {
            spans.Add((colon + 1, lastAt));
        }

        // A password= key in the query: its value, and all after it (an unencoded '&' may be part of it).
        for (var i = location.IndexOfAny(['?', '&', ';'], authority); i >= 0 && i < location.Length - 1; i = location.IndexOfAny(['?', '&', ';'], i + 1))
        {
            var eq = location.IndexOf('=', i + 1);
            if (eq > i && location.IndexOfAny(['?', '&', ';', '#', '/'], i + 1, eq - i - 1) < 0 && IsSecretKey(Uri.UnescapeDataString(location[(i + 1)..eq])))
            {
                spans.Add((eq + 1, location.Length));
                break;
            }
        }

        return spans;
    }

    private static List<(int Start, int End)> KeyValueSpans(string location, Func<string, bool>? isKnownKey)
    {
        var spans = new List<(int Start, int End)>();
        var afterSecret = false;
        var pos = 0;
        while (pos < location.Length)
        {
            if (location[pos] == ';' || char.IsWhiteSpace(location[pos]))
            {
                pos++;
                continue;
            }

            var eq = KeyEnd(location, pos);
            if (eq < 0)
            {
                // No '=' before the next ';': not a setting. Right after a password, it is the rest of that password.
                var end = location.IndexOf(';', pos) is var semicolon and >= 0 ? semicolon : location.Length;
                if (afterSecret)
                {
                    spans[^1] = (spans[^1].Start, end);
                }

                pos = end;
                continue;
            }

            var key = location[pos..eq].Trim();
            var valueStart = eq + 1;
            while (valueStart < location.Length && char.IsWhiteSpace(location[valueStart]) && location[valueStart] != ';')
            {
                valueStart++;
            }

            var secret = IsSecretKey(key);
            var valueEnd = ValueEnd(location, valueStart, secret);
            if (afterSecret && isKnownKey is not null && !isKnownKey(key))
            {
                spans[^1] = (spans[^1].Start, valueEnd); // an unknown key right after a password: more of it
            }
            else if (secret)
            {
                spans.Add((valueStart, valueEnd));
                afterSecret = true;
            }
            else
            {
                afterSecret = false;
            }

            pos = valueEnd;
        }

        return spans;
    }

    // The '=' that ends the key starting at pos ("==" is an '=' inside a key), or -1 when a ';' or the end comes first.
    private static int KeyEnd(string location, int pos)
    {
        for (var i = pos; i < location.Length && location[i] != ';'; i++)
        {
            if (location[i] == '=')
            {
                if (i + 1 < location.Length && location[i + 1] == '=')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    // Where the value starting at start ends: after its closing quote, or at the next ';'. A quote left open, or text
    // after the closing quote, runs a secret value to the end (nothing after it can be told apart from the password).
    private static int ValueEnd(string location, int start, bool secret)
    {
        if (start < location.Length && location[start] is '\'' or '"')
        {
            var quote = location[start];
            for (var i = start + 1; i < location.Length; i++)
            {
                if (location[i] != quote)
                {
                    continue;
                }

                if (i + 1 < location.Length && location[i + 1] == quote)
                {
                    i++;
                    continue;
                }

                var after = i + 1;
                while (after < location.Length && char.IsWhiteSpace(location[after]))
                {
                    after++;
                }

                if (after == location.Length || location[after] == ';')
                {
                    return after;
                }

                return secret ? location.Length : NextSemicolon(location, after);
            }

            return location.Length;
        }

        return NextSemicolon(location, start);
    }

    private static int NextSemicolon(string location, int from) =>
        location.IndexOf(';', from) is var i and >= 0 ? i : location.Length;

    // Password, Pwd, Psw, SSL Password, sslpassword, ssl_password, …: any key that names a password.
    private static bool IsSecretKey(string key)
    {
        var name = new string([.. key.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
        return name is "pwd" or "psw" || name.Contains("password", StringComparison.Ordinal) || name.Contains("passwd", StringComparison.Ordinal);
    }
}
