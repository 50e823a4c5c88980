using Glidepath.Evals.Scorers;
using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Reads the manifest's <c>online:</c> section: the sample rate and the reference-free scorers run on live traffic.</summary>
internal static class OnlineSection
{
    /// <param name="prices">The manifest's <c>prices:</c>, for the checks of a judge's <c>max_spend_usd</c>.</param>
    public static OnlineConfig? Parse(YamlNodeReader r, YamlMappingNode? map, IFileSource files, ScorerRegistry registry, IReadOnlyDictionary<string, ModelPrice>? prices = null)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "online", ["sample_rate", "scorers"]);
        return new OnlineConfig
        {
            SampleRate = r.Double(YamlNodeReader.Get(map, "sample_rate"), "online.sample_rate", 0, 1) ?? 0,
            Scorers = ScorersSection.Parse(r, YamlNodeReader.Get(map, "scorers"), "online.scorers", files, registry, online: true, prices),
        };
    }
}
