using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Shadow;

/// <summary>
/// What people do to shadows: start one (the candidate answers a sampled share of stable's requests in the
/// background), stop it, read where it stands, and ask whether a release has passed one. Start and stop are
/// compare-and-swaps on the environment with a history event, so every gateway picks them up on the revision change.
/// </summary>
public sealed partial class ShadowService(Manifest manifest, EnvironmentService environments, IEnvironmentStore environmentStore, IShadowStore shadows, TimeProvider time)
{
    /// <summary>
    /// The smallest <c>--rate</c>: one stable request in a million. Below it a shadow would not collect the pairs a
    /// decision needs from any real traffic (1e-300 was accepted and shown as "0% of stable"), so it is refused.
    /// </summary>
    public const double MinRate = 1e-6;

    /// <summary>Starts mirroring <paramref name="release"/> at <paramref name="rate"/> of the stable arm's requests.</summary>
    public async Task<ShadowState> StartAsync(string environment, Release release, double rate, double? maxCostUsd, long? maxRequests, string actor, string? reason, CancellationToken cancellationToken)
    {
        var (spec, state, stable) = await PrepareStartAsync(environment, release, rate, maxCostUsd, maxRequests, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var id = "sh-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{manifest.App}\n{spec.Name}\n{release.Id}\n{now.UtcTicks}"))))[..12];
        var shadow = new ShadowState(id, release.Id, rate, maxCostUsd, maxRequests);
        var details = new JsonObject
        {
            ["shadow_id"] = id,
            ["rate"] = rate,
            ["max_cost_usd"] = maxCostUsd,
            ["max_requests"] = maxRequests,
        };
        await ApplyAsync(state, state with { Shadow = shadow }, EnvironmentEventKinds.ShadowStart, stable, release.Id, actor, reason, details, now, cancellationToken).ConfigureAwait(false);
        return shadow;
    }

    /// <summary>
    /// Throws every refusal <see cref="StartAsync"/> would give, and changes nothing: <c>shadow start working</c> checks the
    /// working tree before registering it, so a refused start leaves no release behind.
    /// </summary>
    public Task CheckStartAsync(string environment, Release release, double rate, double? maxCostUsd, long? maxRequests, CancellationToken cancellationToken) =>
        PrepareStartAsync(environment, release, rate, maxCostUsd, maxRequests, cancellationToken);

    private async Task<(EnvironmentSpec Spec, EnvironmentState State, string Stable)> PrepareStartAsync(
        string environment, Release release, double rate, double? maxCostUsd, long? maxRequests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var spec = environments.Spec(environment);
        if (!(rate is >= MinRate and <= 1))
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture,
                $"--rate is the share of stable requests mirrored, from {MinRate:0.######} (one request in a million) to 1; got {rate}"));
        }

        // NaN is not <= 0, and neither NaN nor infinity can be recorded in the history's JSON: refuse both here.
        if (maxCostUsd is { } cost && !(cost > 0 && double.IsFinite(cost)))
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"--max-cost-usd is the candidate's spend cap in USD, a finite number above zero; got {cost}"));
        }

        if (maxRequests is <= 0)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"--max-requests is the most pairs the shadow stores, above zero; got {maxRequests}"));
        }

        EnvironmentGuard.EnsurePromptVariablesProvided(spec, release, "shadow start");
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        EnvironmentGuard.EnsureNotFrozen(state, "shadow start");
        if (state.Shadow is { } active)
        {
            throw new PolicyException($"environment '{spec.Name}' already has an active shadow ({active.ShadowId}); stop it first with: glidepath shadow stop --env {spec.Name}");
        }

        if (state.StableReleaseId is not { } stable)
        {
            throw new PolicyException($"environment '{spec.Name}' has no stable release whose requests a shadow could mirror; the first release goes in with: {await environments.FirstReleaseCommandsAsync(spec, release, cancellationToken).ConfigureAwait(false)}");
        }

        if (stable == release.Id)
        {
            throw new PolicyException($"{release.Name} is already the stable release of {spec.Name}; a shadow compares a different release with it");
        }

        return (spec, state, stable);
    }

    /// <summary>Stops the active shadow; its pairs stay, and the event records the judge's outcome at that moment. Allowed while frozen.</summary>
    public async Task<ShadowReport> StopAsync(string environment, string actor, string? reason, CancellationToken cancellationToken)
    {
        var spec = environments.Spec(environment);
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var shadow = state.Shadow
            ?? throw new PolicyException($"environment '{spec.Name}' has no active shadow; start one with: glidepath shadow start REF --env {spec.Name} --rate 0.1");
        var report = await ReportAsync(spec.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new OperationalException($"the active shadow {shadow.ShadowId} of '{spec.Name}' has no shadow_start event in the history");
        var details = new JsonObject
        {
            ["shadow_id"] = shadow.ShadowId,
            ["pairs"] = report.Spend.Pairs,
            ["cost_usd"] = Math.Round(report.Spend.CostUsd, 6),
            ["candidate_errors"] = report.CandidateErrors,
            ["judged_pairs"] = report.JudgedPairs,
            ["outcome"] = report.Decision.OutcomeName,
            ["decision"] = report.Decision.Reason,
        };
        var now = time.GetUtcNow();
        await ApplyAsync(state, state with { Shadow = null }, EnvironmentEventKinds.ShadowStop, state.StableReleaseId, shadow.ReleaseId, actor, reason, details, now, cancellationToken).ConfigureAwait(false);
        return report with { Active = false, StoppedAt = now, StopReason = reason, PairsAtStop = report.Spend.Pairs };
    }

    /// <summary>The environment's active shadow, or its last one; null when it never had one.</summary>
    public async Task<ShadowReport?> ReportAsync(string environment, CancellationToken cancellationToken)
    {
        var spec = environments.Spec(environment);
        var history = await environmentStore.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var started = ShadowHistory.Starts(history).LastOrDefault();
        return started is null ? null : await CurrentReportAsync(spec.Name, started, history, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A report as <c>shadow status</c> shows it, of any shadow of the environment (<see cref="ReportAsync(string, CancellationToken)"/>
    /// reads the last): judged against the same stable release, with what the gateways claimed.
    /// </summary>
    private async Task<ShadowReport> CurrentReportAsync(string environment, ShadowHistory.Start started, IReadOnlyList<EnvironmentEvent> history, CancellationToken cancellationToken)
    {
        var spec = environments.Spec(environment);
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var candidate = started.Shadow.ReleaseId;
        var report = await ReportAsync(spec.Name, started, history, cancellationToken, JudgedAgainst(state.StableReleaseId, candidate, history)).ConfigureAwait(false);
        // One read of the claims: what the gateways claimed (null while none has), and, for an active capped shadow, whether it stalled.
        var shadow = started.Shadow;
        var claims = await ClaimStateAsync(shadow.ShadowId, cancellationToken).ConfigureAwait(false);
        var capped = claims.AnyClaim && report.Active && (shadow.MaxRequests is not null || shadow.MaxCostUsd is not null);
        return report with
        {
            CandidateIsStable = state.StableReleaseId == candidate,
            Claimed = claims.AnyClaim ? claims.Claimed : null,
            Stalled = capped && claims.Stalled(shadow.MaxCostUsd, shadow.MaxRequests, time.GetUtcNow()),
            LapsedHolders = capped ? claims.LapsedHolders : 0,
        };
    }

    /// <summary>
    /// The stable release whose pairs judge <paramref name="candidateId"/>: the environment's stable release, or,
    /// once the candidate is itself stable, the release it replaced (null when it replaced none: every pair counts).
    /// <c>shadow status</c>, the checklist and <c>rollout start --require-shadow</c> all judge against it.
    /// </summary>
    public static string? JudgedAgainst(string? currentStableId, string candidateId, IEnumerable<EnvironmentEvent> history) =>
        currentStableId != candidateId ? currentStableId : StableHistory.Replaced(history, candidateId);

    /// <summary>
    /// Every shadow of <paramref name="releaseId"/> in <paramref name="environment"/>, judged on its pairs (only those
    /// against <paramref name="stableReleaseId"/> when given): the evidence the checklist and <c>rollout start
    /// --require-shadow</c> look for.
    /// </summary>
    public async Task<ShadowEvidence> EvidenceAsync(string environment, string releaseId, string? stableReleaseId, CancellationToken cancellationToken) =>
        new(await ReportsAsync(environment, releaseId, stableReleaseId, cancellationToken).ConfigureAwait(false));

    /// <summary>Every shadow of <paramref name="releaseId"/> in the environment, newest first, judged on its pairs (only those against <paramref name="stableReleaseId"/> when given).</summary>
    public async Task<IReadOnlyList<ShadowReport>> ReportsAsync(string environment, string releaseId, string? stableReleaseId, CancellationToken cancellationToken)
    {
        var spec = environments.Spec(environment);
        var history = await environmentStore.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var reports = new List<ShadowReport>();
        foreach (var started in ShadowHistory.Starts(history).Where(s => s.Shadow.ReleaseId == releaseId).Reverse())
        {
            reports.Add(await ReportAsync(spec.Name, started, history, cancellationToken, stableReleaseId).ConfigureAwait(false));
        }

        return reports;
    }

    /// <summary>
    /// Throws (exit 4) unless a shadow of <paramref name="release"/> against the environment's stable release has passed:
    /// <c>rollout start --require-shadow</c>.
    /// </summary>
    public async Task RequirePassedAsync(string environment, Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var spec = environments.Spec(environment);
        var state = await environmentStore.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var evidence = await EvidenceAsync(spec.Name, release.Id, state.StableReleaseId, cancellationToken).ConfigureAwait(false);
        if (evidence.Passed is not null)
        {
            return;
        }

        // A shadow still active (another release's, or this one's against an earlier stable) refuses a new start: stop it
        // first, or the advice fails as written (trial shadowcaps #8).
        // One whose cap is reached collects nothing more and will not say pass (trial dash2 #3): a larger cap is the way on.
        var runOne = state.Shadow is { } active
            ? active.ReleaseId == release.Id && evidence.Latest is { } current && current.Shadow.ShadowId == active.ShadowId
                ? current.CapReached
                    ? CappedAdvice(current, release, spec.Name)
                    : await StalledAdviceAsync(active, release, spec.Name, cancellationToken).ConfigureAwait(false)
                        ?? $"Wait for shadow {active.ShadowId} to say pass: glidepath shadow status --env {spec.Name} --watch"
                : $"Run one with: glidepath shadow stop --env {spec.Name} (shadow {active.ShadowId} is still active), then glidepath shadow start {release.Name} --env {spec.Name} --rate 0.1, and wait for 'glidepath shadow status --env {spec.Name}' to say pass"
            : $"Run one with: glidepath shadow start {release.Name} --env {spec.Name} --rate 0.1, and wait for 'glidepath shadow status --env {spec.Name}' to say pass";
        var (why, next) = evidence switch
        {
            // Another shadow of this release cannot help (a release does not change): the way on is a new release.
            { Harmed: { } harmed } => (
                $"shadow {harmed.Shadow.ShadowId} of {release.Name} was judged harm ({harmed.Decision.Reason}); a release does not change, so a later shadow's pass does not undo that",
                $"Fix the change, register the fix as a new release (glidepath release create) and shadow that: glidepath shadow start REF --env {spec.Name} --rate 0.1, with REF the new release"),
            { Latest: { } latest } => ($"the latest shadow of {release.Name} ({latest.Shadow.ShadowId}) is {latest.Decision.OutcomeName}: {latest.Decision.Reason}", runOne),
            _ => ($"no shadow of {release.Name} has run in {spec.Name}", runOne),
        };
        throw new PolicyException($"--require-shadow: {release.Name} has no passed shadow against the stable release of {spec.Name}; {why}. {next}");
    }

    /// <summary>
    /// The paired judge for this app: the environment's rollout plan (the manifest's <c>rollout:</c>), as the canary
    /// judge uses it, plus the pairwise win rate when <c>shadow.pairwise</c> names a judge model.
    /// </summary>
    public PairedJudge Judge() => new(PairedJudgePolicy.From(manifest.Rollout ?? new RolloutPlan(), manifest.Shadow?.Pairwise?.MaxDrop));

    private async Task<ShadowReport> ReportAsync(string environment, ShadowHistory.Start started, IReadOnlyList<EnvironmentEvent> history, CancellationToken cancellationToken, string? onlyStable = null)
    {
        var stop = history.FirstOrDefault(e => e.Kind == EnvironmentEventKinds.ShadowStop && e.Revision > started.Event.Revision && ShadowHistory.IdOf(e) == started.Shadow.ShadowId);
        var pairs = await shadows.PairsAsync(started.Shadow.ShadowId, cancellationToken).ConfigureAwait(false);
        var sample = new PairedSample();
        long n = 0, errors = 0, judged = 0, judgedErrors = 0;
        double cost = 0;
        var others = new Dictionary<string, (long Pairs, long Errors)>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            // The pairs, the spend and the candidate's errors cover every pair (the caps count them all, and a candidate
            // that failed is failing whatever the stable was); the judge reads only those against the judged stable.
            var error = pair.CandidateError ? 1 : 0;
            n++;
            errors += error;
            cost += pair.CandidateCostUsd;
            if (onlyStable is null || pair.StableReleaseId == onlyStable)
            {
                sample.Add(pair.ToPair());
                judged++;
                judgedErrors += error;
            }
            else
            {
                var (otherPairs, otherErrors) = others.GetValueOrDefault(pair.StableReleaseId);
                others[pair.StableReleaseId] = (otherPairs + 1, otherErrors + error);
            }
        }

        return new ShadowReport
        {
            App = manifest.App,
            Environment = environment,
            Shadow = started.Shadow,
            StableReleaseId = onlyStable ?? started.Event.FromReleaseId,
            PairsAgainstOtherStables = [.. others.Select(o => new StablePairCount(o.Key, o.Value.Pairs, o.Value.Errors)).OrderByDescending(o => o.Pairs).ThenBy(o => o.StableReleaseId, StringComparer.Ordinal)],
            Active = stop is null,
            StartedAt = started.Event.Time,
            StartedBy = started.Event.Actor,
            StartReason = started.Event.Reason,
            StoppedAt = stop?.Time,
            StopReason = stop?.Reason,
            Spend = new ShadowSpend(n, cost),
            PairsAtStop = stop is null ? null : ShadowHistory.PairsAtStop(stop),
            CandidateErrors = errors,
            JudgedPairs = judged,
            JudgedCandidateErrors = judgedErrors,
            Decision = WithPairsNeeded(Judge().Decide(sample), judged),
        };
    }

    private Task<EnvironmentState> ApplyAsync(EnvironmentState state, EnvironmentState next, string kind, string? from, string? to, string actor, string? reason, JsonObject details, DateTimeOffset now, CancellationToken cancellationToken) =>
        environmentStore.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = state.Name,
            ExpectedRevision = state.Revision,
            NewState = next,
            Event = new EnvironmentEvent
            {
                App = manifest.App,
                Environment = state.Name,
                Revision = 0,
                Kind = kind,
                Actor = actor,
                Reason = RecordedText.Reason(reason),
                Time = now,
                FromReleaseId = from,
                ToReleaseId = to,
                DetailsJson = details.ToJsonString(),
            },
        }, cancellationToken);
}
