using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Shadow;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// The manifest's <c>shadow.pairwise</c> judge: a judge model reads the rubric, the caller's input and both answers and
/// names the better one; it is asked twice, once with each answer first (<see cref="PairwisePreference"/>), so a judge
/// that favours a position ties. Fail closed: a judge that errs or answers neither A, B nor tie scores the candidate
/// 0 for that pair — a broken judge can show harm, never a pass. What it is sent: <see cref="PairwisePrompt"/>.
/// </summary>
internal sealed partial class PairwiseJudge(IChatClient? client, string rubric, ILogger logger, string? broken = null, float? temperature = 0)
{
    /// <summary>A judge that could not be built (<paramref name="why"/>): every pair it is asked about is a loss for the candidate.</summary>
    public static PairwiseJudge Failing(string why, ILogger logger) => new(null, "", logger, why);

    public static PairwiseJudge? Create(ServingOptions options, ILogger logger)
    {
        if (options.Manifest.Shadow?.Pairwise is not { } config)
        {
            return null;
        }

        var manifest = options.Manifest;
        var rubric = System.Text.Encoding.UTF8.GetString(Glidepath.Files.AppFile.Read(manifest.BaseDirectory, config.Rubric, "shadow.pairwise.rubric")).TrimStart('\uFEFF');
        var client = options.Models.Create(config.Model, ProviderSettingsResolver.Resolve(manifest, config.Model.Provider, options.Environment), new ModelClientOptions { Environment = options.Environment });
        return new PairwiseJudge(client, rubric, logger, temperature: JudgeSampling.Temperature(config.Model));
    }

    /// <summary>The candidate's preference in [0, 1]: 1 better in both orders, 0.5 a tie or a split, 0 worse (or the judge failed).</summary>
    public async Task<double> PreferenceAsync(IReadOnlyList<ChatMessage> input, string stableAnswer, string candidateAnswer, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            LogJudgeFailed(logger, broken ?? "no judge model");
            return 0;
        }

        try
        {
            var first = await AskAsync(input, candidateAnswer, stableAnswer, candidateIsA: true, cancellationToken).ConfigureAwait(false);
            var second = await AskAsync(input, stableAnswer, candidateAnswer, candidateIsA: false, cancellationToken).ConfigureAwait(false);
            return PairwisePreference.Combine(first, second);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogJudgeFailed(logger, ex.Message);
            return 0;
        }
    }

    private async Task<PairwisePreference.Verdict> AskAsync(IReadOnlyList<ChatMessage> input, string a, string b, bool candidateIsA, CancellationToken cancellationToken)
    {
        var messages = PairwisePrompt.Messages(rubric, input, a, b);
        var response = await client!.GetResponseAsync(messages, new ChatOptions { Temperature = temperature, MaxOutputTokens = 20 }, cancellationToken).ConfigureAwait(false);
        return PairwisePreference.Parse(response.Text, candidateIsA);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pairwise judge failed, the pair counts as a loss for the candidate: {Error}")]
    private static partial void LogJudgeFailed(ILogger logger, string error);
}
