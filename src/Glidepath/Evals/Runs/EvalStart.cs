using Glidepath.Evals.Datasets;
using Glidepath.Releases;

namespace Glidepath.Evals.Runs;

/// <summary>An eval run ready to execute: its stored record, the release it scores and its dataset, checked (the run reads the cases as it goes).</summary>
/// <param name="Resumed">True when the run was stopped earlier and is being continued.</param>
public sealed record EvalStart(EvalRun Run, Release Release, DatasetScan Dataset, bool Resumed);
