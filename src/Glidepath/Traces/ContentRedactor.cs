using System.Numerics;
using System.Text;

namespace Glidepath.Traces;

/// <summary>
/// Removes the personal data named by the manifest's <c>capture.redact</c> (email, phone, credit_card, ip) from
/// text. The gateway redacts content before it is stored; <c>evalset add</c> applies it again with the current
/// policy before a trace becomes a committed eval case. docs/security.md lists what each kind covers.
/// </summary>
public static class ContentRedactor
{
    public static string Redact(string text, IReadOnlyList<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(kinds);
        var asked = 0;
        for (var i = 0; i < kinds.Count; i++)
        {
            asked |= kinds[i] switch
            {
                "email" => Bit(PersonalDataKind.Email),
                "phone" => Bit(PersonalDataKind.Phone),
                "credit_card" => Bit(PersonalDataKind.CreditCard),
                "ip" => Bit(PersonalDataKind.IpV4) | Bit(PersonalDataKind.IpV6),
                _ => 0,
            };
        }

        if (asked == 0 || text.Length == 0)
        {
            return text;
        }

        // Every kind more specific than the least specific one asked for is looked for too, asked for or not: what
        // it finds is its own, so the label does not depend on the order of the list, and a card number or an
        // address is left as it is rather than redacted as a phone number when only phones are asked for.
        var leastSpecific = (PersonalDataKind)(31 - BitOperations.LeadingZeroCount((uint)asked));
        var found = new List<PersonalDataMatch>();
        for (var kind = PersonalDataKind.Email; kind <= leastSpecific; kind++)
        {
            var more = PersonalDataFinder.Find(text, kind);
            if (more.Count > 0)
            {
                found = WithoutOverlaps(found, more);
            }
        }

        return Replace(text, found, asked);
    }

    private static int Bit(PersonalDataKind kind) => 1 << (int)kind;

    /// <summary>
    /// Both lists in text order and free of overlaps; <paramref name="more"/> is of a less specific kind, so those of
    /// its matches that overlap one already found are dropped.
    /// </summary>
    private static List<PersonalDataMatch> WithoutOverlaps(List<PersonalDataMatch> found, List<PersonalDataMatch> more)
    {
        var merged = new List<PersonalDataMatch>(found.Count + more.Count);
        var f = 0;
        foreach (var m in more)
        {
            while (f < found.Count && found[f].End <= m.Start)
            {
                merged.Add(found[f++]);
            }

            if (f == found.Count || found[f].Start >= m.End)
            {
                merged.Add(m);
            }
        }

        while (f < found.Count)
        {
            merged.Add(found[f++]);
        }

        return merged;
    }

    private static string Replace(string text, List<PersonalDataMatch> found, int asked)
    {
        StringBuilder? redacted = null;
        var copied = 0;
        foreach (var m in found)
        {
            if ((asked & Bit(m.Kind)) == 0)
            {
                continue;
            }

            redacted ??= new StringBuilder(text.Length);
            redacted.Append(text, copied, m.Start - copied).Append(Label(m.Kind));
            copied = m.End;
        }

        return redacted is null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
    }

    private static string Label(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Email => "[email]",
        PersonalDataKind.IpV6 or PersonalDataKind.IpV4 => "[ip]",
        PersonalDataKind.CreditCard => "[credit_card]",
        _ => "[phone]",
    };
}
