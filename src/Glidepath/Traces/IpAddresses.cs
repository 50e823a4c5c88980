using System.Buffers;
using System.Globalization;

namespace Glidepath.Traces;

/// <summary>Whether a candidate proposed by an address pattern is an IPv4 or IPv6 address.</summary>
internal static class IpAddresses
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    /// <summary>Four decimal octets, each at most 255.</summary>
    public static bool IsIpV4(ReadOnlySpan<char> candidate)
    {
        var parts = 0;
        foreach (var range in candidate.Split('.'))
        {
            var part = candidate[range];
            if (++parts > 4 || part.Length is 0 or > 3
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }

    /// <summary>
    /// Eight hex groups, or fewer around one "::", the last two possibly written as an IPv4 address. A compressed
    /// form must also look like an address rather than code or a slice (<c>Foo::Bar</c>, <c>a[::2]</c>, <c>1::2</c>):
    /// two groups or more, one of them at least two characters long or an IPv4 tail, and a decimal digit somewhere.
    /// The loopback <c>::1</c> is the one exception.
    /// </summary>
    public static bool IsIpV6(ReadOnlySpan<char> candidate)
    {
        if (candidate.SequenceEqual("::1"))
        {
            return true;
        }

        var gap = candidate.IndexOf("::", StringComparison.Ordinal);
        if (gap >= 0 && candidate[(gap + 1)..].Contains("::", StringComparison.Ordinal))
        {
            return false;
        }

        var shape = default(Shape);
        var valid = gap < 0
            ? Groups(candidate, ipV4Tail: true, ref shape)
            : Groups(candidate[..gap], ipV4Tail: false, ref shape) && Groups(candidate[(gap + 2)..], ipV4Tail: true, ref shape);
        if (!valid)
        {
            return false;
        }

        return gap < 0
            ? shape.Groups == 8
            : shape.Groups is >= 2 and <= 7 && (shape.Long || shape.IpV4) && candidate.IndexOfAnyInRange('0', '9') >= 0;
    }

    private static bool Groups(ReadOnlySpan<char> part, bool ipV4Tail, ref Shape shape)
    {
        if (part.IsEmpty)
        {
            return true;
        }

        foreach (var range in part.Split(':'))
        {
            var group = part[range];
            if (ipV4Tail && range.End.GetOffset(part.Length) == part.Length && group.Contains('.'))
            {
                if (!IsIpV4(group))
                {
                    return false;
                }

                shape.Groups += 2;
                shape.IpV4 = true;
            }
            else if (group.Length is 0 or > 4 || group.ContainsAnyExcept(HexDigits))
            {
                return false;
            }
            else
            {
                shape.Groups++;
                shape.Long |= group.Length >= 2;
            }
        }

        return true;
    }

    private struct Shape
    {
        public int Groups;
        public bool Long;
        public bool IpV4;
    }
}
