namespace Glidepath.Providers.Sim;

/// <summary>TF-IDF cosine similarity between a message and each prompt line.</summary>
internal sealed class SimRanker
{
    private readonly IReadOnlyList<SimPolicyLine> _lines;
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly List<Dictionary<string, double>> _vectors = [];
    private readonly List<double> _norms = [];

    public SimRanker(IReadOnlyList<SimPolicyLine> lines)
    {
        _lines = lines;
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            foreach (var t in line.Tokens.Distinct(StringComparer.Ordinal))
            {
                df[t] = df.GetValueOrDefault(t) + 1;
            }
        }

        foreach (var (t, n) in df)
        {
            _idf[t] = Math.Log((lines.Count + 1.0) / (n + 1.0)) + 1.0;
        }

        foreach (var line in lines)
        {
            var vector = Vector(line.Tokens);
            _vectors.Add(vector);
            _norms.Add(Norm(vector));
        }
    }

    /// <summary>Similarity in [0, 1] of the query to every line, in line order.</summary>
    public double[] Score(IReadOnlyList<string> queryTokens)
    {
        var q = Vector(queryTokens);
        var scores = new double[_lines.Count];
        var qNorm = Norm(q);
        if (qNorm == 0)
        {
            return scores;
        }

        for (var i = 0; i < _lines.Count; i++)
        {
            var d = _vectors[i];
            var dot = 0.0;
            foreach (var (t, w) in q)
            {
                if (d.TryGetValue(t, out var dw))
                {
                    dot += w * dw;
                }
            }

            var dNorm = _norms[i];
            scores[i] = dNorm == 0 ? 0 : dot / (qNorm * dNorm);
        }

        return scores;
    }

    private Dictionary<string, double> Vector(IReadOnlyList<string> tokens)
    {
        var v = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in tokens)
        {
            // Words no prompt line uses carry no signal for choosing a line.
            if (_idf.TryGetValue(t, out var idf))
            {
                v[t] = v.GetValueOrDefault(t) + idf;
            }
        }

        return v;
    }

    private static double Norm(Dictionary<string, double> v) => Math.Sqrt(v.Values.Sum(x => x * x));
}
