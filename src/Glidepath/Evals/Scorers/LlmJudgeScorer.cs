using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>llm_judge</c>: asks a judge model to score the response against a rubric. The judge's model and the
/// rubric's sha256 are recorded with every result; a failed call or an unparseable answer is an error.
/// </summary>
public sealed class LlmJudgeScorer : Scorer, IDisposable
{
    private readonly Func<int, IChatClient> _judgeFor;
    private readonly ConcurrentDictionary<int, IChatClient> _judges = new();
    private readonly string _rubric;
    private readonly double _pass;
    private readonly SemaphoreSlim _gate;
    private readonly Func<ChatResponse, double?>? _cost;
    private readonly JudgeSpendLimit? _spendLimit;
    private readonly float? _temperature;

    /// <param name="temperature">The temperature the judge asks its model for (<see cref="JudgeSampling.Temperature"/>), or null for none.</param>
    public LlmJudgeScorer(string name, IChatClient judge, JudgeIdentity identity, string rubric, double pass, int maxConcurrency, Func<ChatResponse, double?>? cost = null, double? maxSpendUsd = null, float? temperature = 0)
        : this(name, _ => judge, identity, rubric, pass, maxConcurrency, cost, maxSpendUsd, temperature)
    {
    }

    /// <param name="judgeForTrial">
    /// The judge's client for the calls that score one trial index, built once per index: an eval's caches each trial's
    /// answers apart, so the trials of a case are independent judge draws. Trial 0's is built here, so what fails every
    /// call (a judge key that is not set) fails before the run.
    /// </param>
    /// <param name="temperature">The temperature the judge asks its model for (<see cref="JudgeSampling.Temperature"/>), or null for none.</param>
    public LlmJudgeScorer(string name, Func<int, IChatClient> judgeForTrial, JudgeIdentity identity, string rubric, double pass, int maxConcurrency, Func<ChatResponse, double?>? cost = null, double? maxSpendUsd = null, float? temperature = 0)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(judgeForTrial);
        _temperature = temperature;
        _judgeFor = judgeForTrial;
        _judges[0] = judgeForTrial(0);
        Identity = identity;
        _rubric = rubric;
        _pass = pass;
        _gate = new SemaphoreSlim(Math.Max(1, maxConcurrency));
        _cost = cost;
        _spendLimit = maxSpendUsd is { } limit ? new JudgeSpendLimit(limit) : null;
    }

    public JudgeIdentity Identity { get; }

    /// <summary>Whether the judge has a <c>max_spend_usd</c>: then a resumed run tells it what the run spent before (<see cref="CountSpent"/>).</summary>
    public bool HasSpendLimit => _spendLimit is not null;

    /// <summary>
    /// Adds what the run's earlier processes spent on this judge (a resumed run: its stored judge spend, <see cref="Runs.EvalRun.JudgeSpend"/>), so
    /// <c>max_spend_usd</c> holds for the run, not for each process (trial gatejudge M3: every --resume spent the cap again).
    /// </summary>
    /// <param name="usd">What the earlier calls cost in all.</param>
    /// <param name="dearest">The dearest of them: what the next call is counted at, as after calls of this process.</param>
    public void CountSpent(double usd, double dearest) => _spendLimit?.CountSpent(usd, dearest);

    /// <summary>
    /// The judge model is the simulated one (<c>provider: sim</c>), which answers from a release's prompt and cannot grade:
    /// an answer it gives that is no score says so, rather than only that no score could be read.
    /// </summary>
    public bool Simulated { get; init; }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Whether a score can be read from the judge's answer, as <see cref="ScoreAsync"/> reads it. An answer that cannot is a
    /// trial error, and errors are never cached: the eval's judge client keeps such answers out of the response cache.
    /// </summary>
    public static bool Readable(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return JudgeScoreParser.TryParse(response.Text, out _, out _, out _);
    }

    protected override async ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        List<ChatMessage> prompt =
        [
            new(ChatRole.System, "You grade an AI assistant's answer against a rubric. Be strict and consistent. " +
                "Reply with JSON only: {\"score\": <a number from 0 to 1>, \"reason\": \"<one sentence>\"}."),
            new(ChatRole.User, Render(input)),
        ];
        var response = await CallAsync(_judges.GetOrAdd(input.Trial, _judgeFor), prompt, cancellationToken).ConfigureAwait(false);

        var metadata = new Dictionary<string, string>
        {
            ["judge.model"] = Identity.Model,
            ["judge.rubric_sha256"] = Identity.RubricSha256,
        };
        JudgeUsage.Write(metadata, response);
        if (!JudgeScoreParser.TryParse(response.Text, out var score, out var reason, out var error))
        {
            // Not a score, but a call paid for: its usage stays with the error (trial gatejudge2: with half the answers
            // unreadable, the judge's reported cost was half what the server billed).
            throw new ScorerException(Simulated
                ? $"judge {Identity.Model}: the simulated model cannot act as a judge; point the judge at a real provider (its model: in eval.scorers). It answered with no score: {error}"
                : $"judge {Identity.Model}: {error}") { Metadata = metadata };
        }

        score = score == 0 ? 0 : score; // "-0" is a score of 0, and prints as one
        return new ScoreValue(score, score >= _pass, Reason(score, reason)) { Metadata = metadata };
    }

    private async Task<ChatResponse> CallAsync(IChatClient judge, List<ChatMessage> prompt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_spendLimit is { } limit)
            {
                await limit.ReserveAsync(admitted: TrialAdmission.Take(limit), cancellationToken).ConfigureAwait(false);
            }

            ChatResponse? response = null;
            var settled = false;
            try
            {
                response = await judge.GetResponseAsync(prompt, new ChatOptions { Temperature = _temperature }, cancellationToken).ConfigureAwait(false);
                return response;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Under a cap, a call that got no answer counts at the dearest call known, and the error keeps that estimate:
                // the run's stored spend adds it, so a resume starts from it (trial gatejudge3 M2).
                IReadOnlyDictionary<string, string>? metadata = null;
                if (_spendLimit is { } capped)
                {
                    settled = true;
                    metadata = new Dictionary<string, string>
                    {
                        ["judge.model"] = Identity.Model,
                        ["judge.rubric_sha256"] = Identity.RubricSha256,
                        [JudgeUsage.UnansweredUsdKey] = capped.Unanswered().ToString("R", CultureInfo.InvariantCulture),
                    };
                }

                throw new ScorerException($"the judge {Identity.Model} failed: {ex.Message}", ex) { Metadata = metadata };
            }
            catch (OperationCanceledException ex) when (_spendLimit is { } capped)
            {
                // The run stopped mid-call (Ctrl-C): the trial is not saved, but the call is counted as one that got no
                // answer, and the run stores it so (its unanswered spend), for a resume's cap to start from.
                settled = true;
                throw new JudgeCallStoppedException(Name, UnansweredUsd(capped.Unanswered()), ex, cancellationToken);
            }
            finally
            {
                if (_spendLimit is { } spendLimit && !settled)
                {
                    Settle(spendLimit, response);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // As the stored metadata writes and reads it (JudgeUsage.TryReadUnanswered): a cut-off call counts as a timed-out one does.
    private static decimal UnansweredUsd(double usd) =>
        decimal.Parse(usd.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Admits one more trial under <c>max_spend_usd</c> before its release is asked, into <paramref name="admission"/>
    /// (<see cref="JudgeSpendLimit.AdmitAsync"/>); at once without a cap. A <see cref="ScorerException"/> when the cap refuses it.
    /// </summary>
    internal async Task AdmitAsync(TrialAdmission admission, CancellationToken cancellationToken)
    {
        if (_spendLimit is { } limit)
        {
            await limit.AdmitAsync(cancellationToken).ConfigureAwait(false);
            admission.Add(limit);
        }
    }

    /// <summary>
    /// The judge's <c>max_spend_usd</c> as reached, without advice (<c>the judge's spend limit of $2 is reached: $1.9995 is
    /// spent and one call has cost up to $0.0015</c>), or null while it is not: a resume is refused on it.
    /// </summary>
    public string? SpendLimitReached() => _spendLimit?.Reached();

    private void Settle(JudgeSpendLimit limit, ChatResponse? response)
    {
        if (response is null)
        {
            limit.Unanswered();
            return;
        }

        double? usd = null;
        try
        {
            usd = _cost?.Invoke(response);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Its spend unknown, the answer cannot count under the cap: an error, never a score.
            throw new ScorerException($"the judge {Identity.Model}: the cost of its answer could not be read against max_spend_usd: {ex.Message}", ex);
        }
        finally
        {
            // Always, also when reading the cost throws: otherwise the calls waiting to start would wait forever.
            limit.Settled(usd);
        }
    }

    // Without a reason of the judge's own: "judge score 0.2 (pass at 0.7)". With one, the score and the pass mark come first,
    // so a failure never reads as the judge's words alone: "judge score 0.40 < 0.70: misses the refund window".
    private string Reason(double score, string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return $"judge score {ThresholdText.Value(score, _pass, "0.##")} (pass at {ThresholdText.Limit(_pass)})";
        }

        var limit = _pass.ToString("0.00", CultureInfo.InvariantCulture);
        if (double.Parse(limit, CultureInfo.InvariantCulture) != _pass)
        {
            limit = ThresholdText.Limit(_pass);
        }

        return $"judge score {ThresholdText.Value(score, _pass, "0.00")} {(score >= _pass ? "≥" : "<")} {limit}: {reason}";
    }

    private string Render(ScorerInput input)
    {
        var sb = new StringBuilder();
        sb.Append("# Rubric\n").Append(_rubric.Trim()).Append("\n\n");
        if (input.Case?.Expect["rubric"]?.GetValue<string>() is { } caseRubric)
        {
            sb.Append("# Criteria for this case\n").Append(caseRubric.Trim()).Append("\n\n");
        }

        if (input.Case?.Expect["reference"]?.GetValue<string>() is { } reference)
        {
            sb.Append("# Reference answer\n").Append(reference.Trim()).Append("\n\n");
        }

        sb.Append("# Conversation\n");
        foreach (var m in input.Messages.Where(m => m.Role != ChatRole.System))
        {
            sb.Append(m.Role.Value).Append(": ").Append(m.Text).Append('\n');
        }

        sb.Append("\n# The assistant's answer to grade\n").Append(input.ResponseText.Trim()).Append('\n');
        foreach (var call in input.ToolCalls)
        {
            sb.Append("[tool call] ").Append(call.Name).Append(' ')
              .Append(System.Text.Json.JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>())).Append('\n');
        }

        return sb.ToString();
    }
}
