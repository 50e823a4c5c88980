namespace Glidepath.Tests.Rollouts;

/// <summary>
/// One cell of <see cref="SubjectReachSimulation"/>: over its layouts, the true arm's mean capped Kish count, each
/// estimate's mean ratio to it (and the new one's lowest and highest), and the warnings: layouts where the truth is short
/// (at least a quarter of the users' own splits below min_subjects, the warning's rule), missed warnings (short, no
/// warning), false ones (a warning, not short), and the expected share of rollouts — one split each — that end short
/// without a warning.
/// </summary>
internal sealed record SubjectReachCell(
    int Users, double Zipf, double Share, int Layouts, double Truth, int TrulyShort,
    double OldRatio, int OldMissed, int OldFalse, double OldShortUnwarned,
    double NewRatio, double NewLowest, double NewHighest, int NewMissed, int NewFalse, double NewShortUnwarned);
