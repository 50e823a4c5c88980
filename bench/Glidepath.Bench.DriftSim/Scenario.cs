namespace Glidepath.Bench.DriftSim;

/// <summary>A traffic model and whether its change (from day 3, at a seeded time of day) should be alerted.</summary>
internal sealed record Scenario(string Key, string Name, CycleTraffic Traffic, bool Harmful);
