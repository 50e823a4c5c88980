using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>shadow:</c> section: <c>pairwise: { model, rubric, max_drop }</c>.</summary>
internal static class ShadowSection
{
    public static ShadowConfig? Parse(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "shadow", ["pairwise"]);
        var pairwiseNode = YamlNodeReader.Get(map, "pairwise");
        if (r.Mapping(pairwiseNode, "shadow.pairwise") is not { } pairwise)
        {
            return new ShadowConfig();
        }

        r.CheckKeys(pairwise, "shadow.pairwise", ["model", "rubric", "max_drop"]);
        var model = ModelSection.Parse(r, YamlNodeReader.Get(pairwise, "model"), "shadow.pairwise.model", pairwise);
        var rubric = r.String(YamlNodeReader.Get(pairwise, "rubric"), "shadow.pairwise.rubric", required: true, parent: pairwise);
        var maxDrop = r.Double(YamlNodeReader.Get(pairwise, "max_drop"), "shadow.pairwise.max_drop", 0, 0.5);
        return model is null || rubric is null
            ? new ShadowConfig()
            : new ShadowConfig { Pairwise = new PairwiseJudgeConfig { Model = model, Rubric = rubric, MaxDrop = maxDrop ?? Glidepath.Shadow.PairedJudgePolicy.DefaultPairwiseMaxDrop } };
    }
}
