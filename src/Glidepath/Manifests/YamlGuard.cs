using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Glidepath.Manifests;

/// <summary>
/// Walks a YAML text's parser events once, before any node tree is built, and stops at the first event
/// that breaks <see cref="ManifestLimits"/>: too deep, too many nodes once aliases are expanded, or an
/// alias to a node that is still open (a cycle). Linear in the input; stops early, so a 100,000-level
/// flow sequence costs no more than <see cref="ManifestLimits.MaxDepth"/> levels of it.
/// </summary>
internal static class YamlGuard
{
    /// <summary>Returns null when the text is within the limits, else where and why it is not.</summary>
    /// <param name="yaml">The document text.</param>
    /// <param name="lastGood">Where the last complete event ended (for scanner errors without a position).</param>
    public static (Mark Where, string Message)? Check(string yaml, out Mark lastGood)
    {
        lastGood = Mark.Empty;
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Frame>();
        var sizes = new Dictionary<string, (long Nodes, int Depth)>(StringComparer.Ordinal);
        long nodes = 0;
        while (parser.MoveNext())
        {
            var e = parser.Current!;
            lastGood = e.End;
            var reached = open.Count;
            switch (e)
            {
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (open.Any(f => f.Anchor == name))
                    {
                        return (e.Start, $"alias *{name} refers to a node that contains it; expected no recursive aliases");
                    }

                    var (aliasNodes, aliasDepth) = sizes.GetValueOrDefault(name, (1, 0));
                    nodes += aliasNodes;
                    reached = open.Count + aliasDepth;
                    break;
                case Scalar s:
                    nodes++;
                    if (!s.Anchor.IsEmpty)
                    {
                        sizes[s.Anchor.Value] = (1, 0);
                    }

                    break;
                case NodeEvent start when start is SequenceStart or MappingStart:
                    nodes++;
                    open.Push(new Frame(start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes - 1, open.Count + 1));
                    reached = open.Count;
                    break;
                case SequenceEnd or MappingEnd when open.Count > 0:
                    var frame = open.Pop();
                    if (frame.Anchor is not null)
                    {
                        sizes[frame.Anchor] = (nodes - frame.NodesBefore, frame.Deepest - frame.Depth + 1);
                    }

                    reached = frame.Deepest;
                    break;
            }

            if (open.TryPeek(out var top))
            {
                top.Deepest = Math.Max(top.Deepest, reached);
            }

            if (reached > ManifestLimits.MaxDepth)
            {
                return (e.Start, $"nesting is deeper than {ManifestLimits.MaxDepth} levels (aliases counted expanded); expected a flatter document");
            }

            if (nodes > ManifestLimits.MaxNodes)
            {
                return (e.Start, $"the document expands to more than {ManifestLimits.MaxNodes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} nodes (aliases counted expanded); expected a smaller document");
            }
        }

        return null;
    }

    private sealed class Frame(string? anchor, long nodesBefore, int depth)
    {
        public string? Anchor { get; } = anchor;

        public long NodesBefore { get; } = nodesBefore;

        public int Depth { get; } = depth;

        public int Deepest { get; set; } = depth;
    }
}
