using System.Text;

namespace Glidepath.Releases;

/// <summary>Unified line diff (LCS based) with three lines of context, like <c>diff -u</c>.</summary>
public static class LineDiff
{
    public static string Unified(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var ops = Diff(a, b);
        if (ops.All(o => o.Kind == ' '))
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - context);
            var end = i;
            var lastChange = i;
            while (end < ops.Count && (ops[end].Kind != ' ' || end - lastChange <= 2 * context))
            {
                if (ops[end].Kind != ' ')
                {
                    lastChange = end;
                }

                end++;
            }

            end = Math.Min(ops.Count, lastChange + context + 1);
            var oldStart = ops[start].OldLine;
            var newStart = ops[start].NewLine;
            var oldCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '+');
            var newCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '-');
            sb.Append("@@ -").Append(oldStart + 1).Append(',').Append(oldCount)
              .Append(" +").Append(newStart + 1).Append(',').Append(newCount).Append(" @@\n");
            for (var k = start; k < end; k++)
            {
                sb.Append(ops[k].Kind).Append(ops[k].Text).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    private readonly record struct Op(char Kind, string Text, int OldLine, int NewLine);

    private static List<Op> Diff(string[] a, string[] b)
    {
        // Trim the common prefix and suffix so the quadratic LCS table only covers the changed middle.
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        var lcs = new int[n + 1, m + 1];
        for (var x = n - 1; x >= 0; x--)
        {
            for (var y = m - 1; y >= 0; y--)
            {
                lcs[x, y] = a[prefix + x] == b[prefix + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
            }
        }

        var ops = new List<Op>(a.Length + b.Length);
        for (var k = 0; k < prefix; k++)
        {
            ops.Add(new Op(' ', a[k], k, k));
        }

        int ia = 0, ib = 0;
        while (ia < n || ib < m)
        {
            if (ia < n && ib < m && a[prefix + ia] == b[prefix + ib])
            {
                ops.Add(new Op(' ', a[prefix + ia], prefix + ia, prefix + ib));
                ia++;
                ib++;
            }
            else if (ib < m && (ia == n || lcs[ia, ib + 1] > lcs[ia + 1, ib]))
            {
                ops.Add(new Op('+', b[prefix + ib], prefix + ia, prefix + ib));
                ib++;
            }
            else
            {
                ops.Add(new Op('-', a[prefix + ia], prefix + ia, prefix + ib));
                ia++;
            }
        }

        for (var k = 0; k < suffix; k++)
        {
            ops.Add(new Op(' ', a[a.Length - suffix + k], a.Length - suffix + k, b.Length - suffix + k));
        }

        return ops;
    }
}
