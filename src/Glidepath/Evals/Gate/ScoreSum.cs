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

    /// <summary>The largest score magnitude taken: far above any scorer's 0..1, and the sum of a million of them still fits.</summary>
    public const double MaxScore = 1 << 20;

    /// <exception cref="ArgumentOutOfRangeException">The score is NaN, infinite or beyond ±<see cref="MaxScore"/> (scorers report 0..1).</exception>
    public void Add(double score)
    {
        if (!double.IsFinite(score) || Math.Abs(score) > MaxScore)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, $"a trial score must be a finite number within ±{MaxScore}");
        }

        _units += (Int128)Math.ScaleB(score, FractionBits);
    }

    public readonly double Value => Math.ScaleB((double)_units, -FractionBits);
}
