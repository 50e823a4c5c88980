namespace Glidepath.Evals.Gate;

/// <summary>
/// A sum of trial scores that does not depend on the order the trials are added in: the gate adds them as the store
/// returns them (the order they finished), and must decide the same whatever that order was.
/// </summary>
/// <remarks>
/// Scores are added exactly in fixed point (2^-100 units in an <see cref="Int128"/>): every score ≥ 2^-47 is held to
/// the bit, so the total is the exact sum rounded once. Where adding the doubles one by one was exact (0, 1, halves,
/// quarters…) this is the same number; where it was not, it no longer depends on which trial finished first.
/// </remarks>
internal struct ScoreSum
{
    private const int FractionBits = 100;
    private Int128 _units;

    public void Add(double score) => _units += (Int128)Math.ScaleB(score, FractionBits);

    public readonly double Value => Math.ScaleB((double)_units, -FractionBits);
}
