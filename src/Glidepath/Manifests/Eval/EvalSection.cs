using Glidepath.Evals.Scorers;
using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>eval:</c> section: the dataset, trials, concurrency, scorers and the gate rule.</summary>
internal static class EvalSection
{
    /// <param name="prices">The manifest's <c>prices:</c>, for the checks of a judge's <c>max_spend_usd</c>.</param>
    public static EvalConfig? Parse(YamlNodeReader r, YamlMappingNode? map, IFileSource files, ScorerRegistry registry, IReadOnlyDictionary<string, ModelPrice>? prices = null)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "eval", ["dataset", "trials", "concurrency", "scorers", "gate"]);
        var dataset = r.String(YamlNodeReader.Get(map, "dataset"), "eval.dataset", required: true, parent: map);
        if (dataset is not null)
        {
            r.RequireFile(YamlNodeReader.Get(map, "dataset"), files, dataset, "dataset", "expected a JSON Lines file relative to the manifest");
        }

        var scorers = ScorersSection.Parse(r, YamlNodeReader.Get(map, "scorers"), "eval.scorers", files, registry, online: false, prices);
        var gate = Gate(r, r.Mapping(YamlNodeReader.Get(map, "gate"), "eval.gate"));
        return dataset is null ? null : new EvalConfig
        {
            Dataset = dataset,
            Trials = r.Int(YamlNodeReader.Get(map, "trials"), "eval.trials", 1, 1000) ?? 1,
            Concurrency = r.Int(YamlNodeReader.Get(map, "concurrency"), "eval.concurrency", 1, 4096),
            Scorers = scorers,
            ScorersLocation = $"{r.FileName}:{(YamlNodeReader.Get(map, "scorers") ?? map).Start.Line}:{(YamlNodeReader.Get(map, "scorers") ?? map).Start.Column}",
            Gate = gate,
        };
    }

    private static GateConfig Gate(YamlNodeReader r, YamlMappingNode? g)
    {
        var gate = new GateConfig();
        if (g is null)
        {
            return gate;
        }

        r.CheckKeys(g, "eval.gate", ["baseline", "max_case_regressions", "max_mean_drop", "confidence"]);
        return new GateConfig
        {
            Baseline = r.String(YamlNodeReader.Get(g, "baseline"), "eval.gate.baseline") ?? gate.Baseline,
            MaxCaseRegressions = r.Int(YamlNodeReader.Get(g, "max_case_regressions"), "max_case_regressions", 0) ?? 0,
            MaxMeanDrop = r.Double(YamlNodeReader.Get(g, "max_mean_drop"), "max_mean_drop", 0, 1) ?? 0,
            Confidence = r.Double(YamlNodeReader.Get(g, "confidence"), "confidence", 0.5, 0.9999) ?? 0.95,
        };
    }
}
