using System.Text.Json;
using System.Text.Json.Serialization;

namespace Glidepath.Evals.Reports;

/// <summary>The gate as JSON (snake_case), for tools.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object ToObject(GateReport r) => new
    {
        verdict = r.ResultWord,
        app = r.App,
        run = r.RunId,
        candidate = new { label = r.CandidateLabel, id = r.CandidateId },
        baseline = new { label = r.BaselineLabel, id = r.BaselineId },
        dataset = new { path = r.DatasetPath, sha256 = r.DatasetSha256 },
        scorer_version = r.ScorerVersion,
        judges = r.Judges,
        reasons = r.Decision.Reasons,
        counts = new
        {
            cases = r.Decision.Cases.Count,
            trials = r.Decision.Trials,
            regressed = r.Decision.Regressions.Count,
            improved = r.Decision.Improvements.Count,
            errors = r.Decision.Errors.Count,
        },
        baseline_pass_rate = r.Decision.BaselinePassRate,
        candidate_pass_rate = r.Decision.CandidatePassRate,
        mean_difference = new { estimate = r.Decision.MeanDifference, low = r.Decision.CiLow, high = r.Decision.CiHigh, confidence = r.Decision.Confidence },
        rule = r.Decision.Rule,
        correction = new
        {
            method = r.Decision.Correction.Method,
            family_alpha = r.Decision.Correction.FamilyAlpha,
            tested = r.Decision.Correction.Tested,
            testable = r.Decision.Correction.Testable,
            single_trial = r.Decision.Correction.SingleTrial,
            description = r.Decision.Correction.Describe(),
        },
        cases = r.Decision.Cases,
        errors = r.Decision.Errors,
        created_at = r.CreatedAt,
    };

    public static string Render(GateReport r) => JsonSerializer.Serialize(ToObject(r), Options) + "\n";

    public static JsonSerializerOptions SerializerOptions => Options;
}
