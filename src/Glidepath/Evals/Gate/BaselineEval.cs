using Glidepath.Files;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>The <c>eval:</c> section of the manifest at the baseline's commit, and the files of that commit (its dataset among them).</summary>
public sealed record BaselineEval(EvalConfig Eval, IFileSource Files);
