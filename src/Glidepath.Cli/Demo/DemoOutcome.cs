namespace Glidepath.Cli.Demo;

/// <summary>What the demo observed at each step (printed with --format json; asserted by the demo's test).</summary>
internal sealed record DemoOutcome
{
    public string Workspace { get; set; } = "";
    public bool PromotedV1 { get; set; }
    public int BrokenGateExit { get; set; } = -1;
    public int GoodGateExit { get; set; } = -1;
    public int DrillExit { get; set; } = -1;
    public int TrafficRequests { get; set; }
    public int TrafficErrors { get; set; }
    public string? RolloutV3State { get; set; }
    public string? ProductionStableAfterRollout { get; set; }
    public string? RegressionRolloutState { get; set; }
    public string? RegressionEvidence { get; set; }
    public int ChecklistExit { get; set; } = -1;
    public double Seconds { get; set; }

    public bool Succeeded =>
        PromotedV1 && BrokenGateExit == 1 && GoodGateExit == 0 && DrillExit == 0 && TrafficErrors == 0 &&
        RolloutV3State == "promoted" && ProductionStableAfterRollout == "v3" && RegressionRolloutState == "rolled_back" && ChecklistExit == 0;
}
