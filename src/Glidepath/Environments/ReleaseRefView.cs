namespace Glidepath.Environments;

/// <summary>A release as views name it: v3, its id and the v3+3f9c2a1b label.</summary>
public sealed record ReleaseRefView(string Name, string Id, string Label);
