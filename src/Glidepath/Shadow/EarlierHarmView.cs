namespace Glidepath.Shadow;

/// <summary>An earlier shadow of the same release, against the same stable, that the paired judge found harmful: a later pass does not undo it.</summary>
public sealed record EarlierHarmView(string ShadowId, string Reason);
