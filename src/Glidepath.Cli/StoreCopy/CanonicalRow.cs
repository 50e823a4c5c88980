using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Glidepath.Cli.StoreCopy;

/// <summary>
/// A row as text that both stores agree on whatever their types: values are converted to the PostgreSQL column's type
/// first (SQLite 0/1 to a boolean, hex text to bytes), then written one way. A table's checksum is the SHA-256 of its
/// rows sorted ordinally, so it does not depend on the order either database returns them in.
/// </summary>
internal static class CanonicalRow
{
    /// <summary>The value as the PostgreSQL column of type <paramref name="type"/> holds it.</summary>
    public static object? Convert(object? value, string type) => value is null or DBNull ? null : type switch
    {
        "boolean" => value is bool b ? b : System.Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        "integer" or "smallint" => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        "bigint" => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        "double precision" or "real" => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        "bytea" => value is byte[] bytes ? bytes : System.Convert.FromHexString((string)value),
        _ => value is string s ? s : System.Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public static string Text(IReadOnlyList<object?> values)
    {
        var text = new StringBuilder();
        foreach (var value in values)
        {
            text.Append(value switch
            {
                null => "\u2400",
                bool b => b ? "t" : "f",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                byte[] bytes => System.Convert.ToHexStringLower(bytes),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            }).Append('\u001f');
        }

        return text.ToString();
    }

    public static string Checksum(List<string> rows)
    {
        rows.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rows)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(row));
            hash.AppendData("\n"u8);
        }

        return System.Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
