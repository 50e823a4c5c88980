using System.Text.RegularExpressions;

namespace Glidepath.Traces;

/// <summary>
/// The regexes that propose candidates for each kind of personal data. They only propose: the rules in
/// <see cref="PersonalDataFinder"/> decide. Text can be a caller's and megabytes long, so every pattern runs on the
/// non-backtracking engine, which is linear in the length of the text whatever the pattern and the input (the
/// source generator only caches these; it writes no code for that engine). None captures groups: on that engine
/// captures cost a second pass per match.
/// </summary>
internal static partial class PersonalDataPatterns
{
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    public static Regex For(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Email => Email(),
        PersonalDataKind.IpV6 => IpV6(),
        PersonalDataKind.IpV4 => IpV4(),
        PersonalDataKind.CreditCard => Card(),
        _ => Phone(),
    };

    // A dot-atom local part in any script (plus ' for O'Brien), or a quoted one ("john doe"); a domain of labels in
    // any script ending in a top-level domain of letters or punycode (xn--…). The full-width ＠ counts as @.
    [GeneratedRegex("""(?:"(?:[^"\\\r\n]|\\.){1,64}"|[\p{L}\p{M}\p{N}._%+'-]+)[@＠](?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?\.)+(?:xn--[a-z0-9-]+|\p{L}[\p{L}\p{M}]+)""", Linear | RegexOptions.IgnoreCase)]
    private static partial Regex Email();

    // Colon-separated hex groups, "::" included, with an optional dotted IPv4 tail (::ffff:192.0.2.1).
    [GeneratedRegex(@"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.[0-9]{1,3}){0,3}", Linear)]
    private static partial Regex IpV6();

    [GeneratedRegex(@"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", Linear)]
    private static partial Regex IpV4();

    // 13–19 digits run together, in groups of four (the last one shorter), or 4-6-4/4-6-5 (Amex, Diners);
    // separated by a space or a dash.
    [GeneratedRegex(@"\d{13,19}|\d{4}(?:[\p{Zs}\p{Pd}]\d{4}){2,3}(?:[\p{Zs}\p{Pd}]\d{1,4})?|\d{4}[\p{Zs}\p{Pd}]\d{6}[\p{Zs}\p{Pd}]\d{4,5}", Linear)]
    private static partial Regex Card();

    // International (+…), national with a leading 0 (020 7946 0958, 06 12 34 56 78, (020) …), North American
    // 3-3-4 with an optional leading 1, and local 555-0100; then an optional extension (ext. 23, x23).
    // Separators: a space, a dash or a dot; a national number keeps one kind of separator throughout.
    [GeneratedRegex(@"(?:\+\p{Zs}?\d{1,3}(?:[\p{Zs}\p{Pd}.]?\(\d{1,4}\))?(?:[\p{Zs}\p{Pd}.]?\d{1,6}){1,6}" +
        @"|\(0\d{1,4}\)\p{Zs}?\d{2,8}(?:[\p{Zs}\p{Pd}.]\d{2,8}){0,3}" +
        @"|0\d{1,4}(?:\p{Zs}\d{2,8}){1,4}|0\d{1,4}(?:\p{Pd}\d{2,8}){1,4}|0\d{1,4}(?:\.\d{2,8}){1,4}|0\d{8,11}" +
        @"|(?:1[\p{Zs}\p{Pd}.]?)?(?:\(\d{3}\)\p{Zs}?|\d{3}[\p{Zs}\p{Pd}.]?)\d{3}[\p{Zs}\p{Pd}.]?\d{4}" +
        @"|\d{3}\p{Pd}\d{4})" +
        @"(?:\p{Zs}?(?:ext(?:ension|n)?\.?:?|x)\p{Zs}?\d{1,6})?", Linear | RegexOptions.IgnoreCase)]
    private static partial Regex Phone();
}
