using System.Runtime.CompilerServices;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

internal sealed partial class PostgresEvalRunStore(PostgresDatabase database) : IEvalRunStore
{
    private const string RunColumns = "id, app, kind, release_id, baseline_release_id, dataset_path, dataset_sha256, trials, case_count, tags_json, scorer_version, use_cache, concurrency, status, created_at, finished_at, judge_spend_json";
    private const string ResultColumns = "run_id, release_id, case_id, trial, status, score, output, tool_calls, latency_ms, cost_usd, input_tokens, output_tokens, scores_json, error, finished_at, error_transient";

    // A result already stored is kept, unless it is an error: a resumed run asks an errored trial again, and its new result
    // takes the error's place (and its place in the saved order).
    private const string ReplaceError = "status = excluded.status, score = excluded.score, output = excluded.output, tool_calls = excluded.tool_calls, latency_ms = excluded.latency_ms, cost_usd = excluded.cost_usd, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, scores_json = excluded.scores_json, error = excluded.error, finished_at = excluded.finished_at, error_transient = excluded.error_transient WHERE eval_results.status = 'error'";

    public async Task CreateAsync(EvalRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"INSERT INTO eval_runs ({RunColumns}) VALUES (@id, @app, @kind, @rel, @base, @path, @sha, @trials, @cases, @tags, @scorers, @cache, @conc, @status, @at, NULL, @spend)");
        cmd.With("id", run.Id).With("app", run.App).With("kind", StoredName.Of(run.Kind)).With("rel", run.ReleaseId).With("base", run.BaselineReleaseId)
            .With("path", run.DatasetPath).With("sha", run.DatasetSha256).With("trials", run.Trials).With("cases", run.CaseCount)
            .With("tags", StoredResultJson.Strings(run.Tags)).With("scorers", run.ScorerVersion).With("cache", run.UseCache)
            .With("conc", run.Concurrency).With("status", StoredName.Of(run.Status)).With("at", AsGiven(run.CreatedAt))
            .With("spend", JudgeSpendJson.Write(run.JudgeSpend));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<EvalRun?> GetAsync(string app, string idOrPrefix, CancellationToken cancellationToken)
    {
        // The run with exactly this id comes first, so newer runs whose ids merely start with it never hide it.
        var runs = await QueryRunsAsync("app = @app AND left(id, length(@p)) = @p ORDER BY (id = @p) DESC, created_at DESC LIMIT 2", cancellationToken, ("app", app), ("p", idOrPrefix)).ConfigureAwait(false);
        return runs.FirstOrDefault(r => r.Id == idOrPrefix) ?? (runs.Count == 1 ? runs[0] : null);
    }

    public Task<IReadOnlyList<EvalRun>> ListAsync(string app, int limit, CancellationToken cancellationToken) =>
        QueryRunsAsync("app = @app ORDER BY created_at DESC LIMIT @n", cancellationToken, ("app", app), ("n", limit));

    public async Task SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var r in results)
        {
            await using var cmd = connection.Command($"""
                INSERT INTO eval_results ({ResultColumns}) VALUES (@run, @rel, @case, @trial, @status, @score, @out, @tools, @lat, @cost, @in, @outt, @scores, @err, @at, @transient)
                ON CONFLICT (run_id, release_id, case_id, trial) DO UPDATE SET {ReplaceError}
                """, tx);
            cmd.With("run", r.RunId).With("rel", r.ReleaseId).With("case", r.CaseId).With("trial", r.Trial).With("status", r.Status.ToString().ToLowerInvariant())
                .With("score", r.Score).With("out", r.Output).With("tools", StoredResultJson.Strings(r.ToolCalls)).With("lat", r.LatencyMs)
                .With("cost", r.CostUsd).With("in", r.InputTokens).With("outt", r.OutputTokens).With("scores", StoredResultJson.Scores(r.Scores))
                .With("err", r.Error).With("at", AsGiven(r.FinishedAt)).With("transient", r.TransientError);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrialResult>> ResultsAsync(string runId, CancellationToken cancellationToken) =>
        await ReadResultsAsync(runId, notPassedOnly: false, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, bool notPassedOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command(notPassedOnly
            ? $"SELECT {ResultColumns} FROM eval_results WHERE run_id = @run AND status <> 'pass' ORDER BY status = 'error', case_id COLLATE \"C\", seq"
            : $"SELECT {ResultColumns} FROM eval_results WHERE run_id = @run ORDER BY seq").With("run", runId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new TrialResult
            {
                RunId = reader.GetString(0),
                ReleaseId = reader.GetString(1),
                CaseId = reader.GetString(2),
                Trial = reader.GetInt32(3),
                Status = Enum.Parse<TrialStatus>(reader.GetString(4), ignoreCase: true),
                Score = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                Output = reader.GetString(6),
                ToolCalls = StoredResultJson.ReadStrings(reader.GetString(7)),
                LatencyMs = reader.GetDouble(8),
                CostUsd = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                InputTokens = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                OutputTokens = reader.IsDBNull(11) ? null : reader.GetInt64(11),
                Scores = StoredResultJson.ReadScores(reader.GetString(12)),
                Error = reader.StringOrNull(13),
                FinishedAt = ParseAsGiven(reader.GetString(14)),
                TransientError = reader.GetBoolean(15),
            };
        }
    }

    public async Task<IReadOnlySet<TrialKey>> CompletedAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT release_id, case_id, trial FROM eval_results WHERE run_id = @run AND status <> 'error'").With("run", runId);
        var set = new HashSet<TrialKey>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            set.Add(new TrialKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return set;
    }

    public async Task AddJudgeSpendAsync(string runId, IReadOnlyList<JudgeSpend> spend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spend);

        // The row locked while it is read and written: two processes adding at once both count.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        string? json;
        await using (var read = connection.Command("SELECT judge_spend_json FROM eval_runs WHERE id = @id FOR UPDATE", tx).With("id", runId))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new Errors.OperationalException($"cannot add judge spend in the store: there is no eval run {runId}; nothing was written");
            }

            json = reader.StringOrNull(0);
        }

        if (spend.Count > 0)
        {
            await using var write = connection.Command("UPDATE eval_runs SET judge_spend_json = @spend WHERE id = @id", tx)
                .With("spend", JudgeSpendJson.Write(JudgeSpend.Merge(JudgeSpendJson.Read(json, runId), spend))).With("id", runId);
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetStatusAsync(string runId, EvalRunStatus status, DateTimeOffset? finishedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("UPDATE eval_runs SET status = @s, finished_at = @f WHERE id = @id")
            .With("s", StoredName.Of(status)).With("f", finishedAt is { } f ? AsGiven(f) : null).With("id", runId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<EvalRun>> QueryRunsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {RunColumns} FROM eval_runs WHERE {where}");
        foreach (var (name, value) in args)
        {
            cmd.With(name, value);
        }

        var list = new List<EvalRun>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadRun(reader));
        }

        return list;
    }

    private static EvalRun ReadRun(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        App = reader.GetString(1),
        Kind = StoredName.Parse<EvalRunKind>(reader.GetString(2)),
        ReleaseId = reader.GetString(3),
        BaselineReleaseId = reader.StringOrNull(4),
        DatasetPath = reader.GetString(5),
        DatasetSha256 = reader.GetString(6),
        Trials = reader.GetInt32(7),
        CaseCount = reader.GetInt32(8),
        Tags = StoredResultJson.ReadStrings(reader.GetString(9)),
        ScorerVersion = reader.GetString(10),
        UseCache = reader.GetBoolean(11),
        Concurrency = reader.GetInt32(12),
        Status = StoredName.Parse<EvalRunStatus>(reader.GetString(13)),
        CreatedAt = ParseAsGiven(reader.GetString(14)),
        FinishedAt = reader.IsDBNull(15) ? null : ParseAsGiven(reader.GetString(15)),
        JudgeSpend = JudgeSpendJson.Read(reader.StringOrNull(16), reader.GetString(0)),
    };
}
