using System.Globalization;
using System.Runtime.CompilerServices;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

internal sealed partial class SqliteEvalRunStore(SqliteDatabase database) : IEvalRunStore
{
    private const string RunColumns = "id, app, kind, release_id, baseline_release_id, dataset_path, dataset_sha256, trials, case_count, tags_json, scorer_version, use_cache, concurrency, status, created_at, finished_at, judge_spend_json";
    private const string ResultColumns = "run_id, release_id, case_id, trial, status, score, output, tool_calls, latency_ms, cost_usd, input_tokens, output_tokens, scores_json, error, finished_at, error_transient";

    // A result already stored is kept, unless it is an error: a resumed run asks an errored trial again, and its new result
    // takes the error's place (and its place in the saved order).
    private const string ReplaceError = "status = excluded.status, score = excluded.score, output = excluded.output, tool_calls = excluded.tool_calls, latency_ms = excluded.latency_ms, cost_usd = excluded.cost_usd, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, scores_json = excluded.scores_json, error = excluded.error, finished_at = excluded.finished_at, error_transient = excluded.error_transient WHERE eval_results.status = 'error'";

    public async Task CreateAsync(EvalRun run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO eval_runs ({RunColumns}) VALUES ($id, $app, $kind, $rel, $base, $path, $sha, $trials, $cases, $tags, $scorers, $cache, $conc, $status, $at, NULL, $spend)";
        cmd.Parameters.AddWithValue("$id", run.Id);
        cmd.Parameters.AddWithValue("$app", run.App);
        cmd.Parameters.AddWithValue("$kind", StoredName.Of(run.Kind));
        cmd.Parameters.AddWithValue("$rel", run.ReleaseId);
        cmd.Parameters.AddWithValue("$base", (object?)run.BaselineReleaseId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$path", run.DatasetPath);
        cmd.Parameters.AddWithValue("$sha", run.DatasetSha256);
        cmd.Parameters.AddWithValue("$trials", run.Trials);
        cmd.Parameters.AddWithValue("$cases", run.CaseCount);
        cmd.Parameters.AddWithValue("$tags", StoredResultJson.Strings(run.Tags));
        cmd.Parameters.AddWithValue("$scorers", run.ScorerVersion);
        cmd.Parameters.AddWithValue("$cache", run.UseCache ? 1 : 0);
        cmd.Parameters.AddWithValue("$conc", run.Concurrency);
        cmd.Parameters.AddWithValue("$status", StoredName.Of(run.Status));
        cmd.Parameters.AddWithValue("$at", run.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$spend", (object?)JudgeSpendJson.Write(run.JudgeSpend) ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<EvalRun?> GetAsync(string app, string idOrPrefix, CancellationToken cancellationToken)
    {
        // The run with exactly this id comes first, so newer runs whose ids merely start with it never hide it.
        var runs = await QueryRunsAsync("app = $app AND substr(id, 1, length($p)) = $p ORDER BY id = $p DESC, created_at DESC LIMIT 2", cancellationToken, ("$app", app), ("$p", idOrPrefix)).ConfigureAwait(false);
        return runs.FirstOrDefault(r => r.Id == idOrPrefix) ?? (runs.Count == 1 ? runs[0] : null);
    }

    public Task<IReadOnlyList<EvalRun>> ListAsync(string app, int limit, CancellationToken cancellationToken) =>
        QueryRunsAsync("app = $app ORDER BY created_at DESC LIMIT $n", cancellationToken, ("$app", app), ("$n", limit));

    public async Task SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO eval_results ({ResultColumns}) VALUES ($run, $rel, $case, $trial, $status, $score, $out, $tools, $lat, $cost, $in, $outt, $scores, $err, $at, $transient) " +
            $"ON CONFLICT (run_id, release_id, case_id, trial) DO UPDATE SET {ReplaceError}";
        var names = new[] { "$run", "$rel", "$case", "$trial", "$status", "$score", "$out", "$tools", "$lat", "$cost", "$in", "$outt", "$scores", "$err", "$at", "$transient" };
        var ps = names.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
        foreach (var r in results)
        {
            object?[] values =
            [
                r.RunId, r.ReleaseId, r.CaseId, r.Trial, r.Status.ToString().ToLowerInvariant(), r.Score, r.Output,
                StoredResultJson.Strings(r.ToolCalls), r.LatencyMs, r.CostUsd, r.InputTokens, r.OutputTokens,
                StoredResultJson.Scores(r.Scores), r.Error, r.FinishedAt.ToString("O", CultureInfo.InvariantCulture), r.TransientError ? 1 : 0,
            ];
            for (var i = 0; i < ps.Length; i++)
            {
                ps[i].Value = values[i] ?? DBNull.Value;
            }

            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrialResult>> ResultsAsync(string runId, CancellationToken cancellationToken) =>
        await ReadResultsAsync(runId, notPassedOnly: false, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, bool notPassedOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = notPassedOnly
            ? $"SELECT {ResultColumns} FROM eval_results WHERE run_id = $run AND status <> 'pass' ORDER BY status = 'error', case_id, rowid"
            : $"SELECT {ResultColumns} FROM eval_results WHERE run_id = $run ORDER BY rowid";
        cmd.Parameters.AddWithValue("$run", runId);
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
                Error = reader.IsDBNull(13) ? null : reader.GetString(13),
                FinishedAt = DateTimeOffset.Parse(reader.GetString(14), CultureInfo.InvariantCulture),
                TransientError = reader.GetInt64(15) != 0,
            };
        }
    }

    public async Task<IReadOnlySet<TrialKey>> CompletedAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT release_id, case_id, trial FROM eval_results WHERE run_id = $run AND status <> 'error'";
        cmd.Parameters.AddWithValue("$run", runId);
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

        // Read and written under the write lock (BEGIN IMMEDIATE): two processes adding at once both count.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT judge_spend_json FROM eval_runs WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", runId);
        string? json;
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new Errors.OperationalException($"cannot add judge spend in the store at {database.Path}: there is no eval run {runId}; nothing was written");
            }

            json = reader.IsDBNull(0) ? null : reader.GetString(0);
        }

        if (spend.Count > 0)
        {
            cmd.CommandText = "UPDATE eval_runs SET judge_spend_json = $spend WHERE id = $id";
            cmd.Parameters.AddWithValue("$spend", JudgeSpendJson.Write(JudgeSpend.Merge(JudgeSpendJson.Read(json, runId), spend)));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SetStatusAsync(string runId, EvalRunStatus status, DateTimeOffset? finishedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE eval_runs SET status = $s, finished_at = $f WHERE id = $id";
        cmd.Parameters.AddWithValue("$s", StoredName.Of(status));
        cmd.Parameters.AddWithValue("$f", finishedAt is { } f ? f.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value);
        cmd.Parameters.AddWithValue("$id", runId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<EvalRun>> QueryRunsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {RunColumns} FROM eval_runs WHERE {where}";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var list = new List<EvalRun>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new EvalRun
            {
                Id = reader.GetString(0),
                App = reader.GetString(1),
                Kind = StoredName.Parse<EvalRunKind>(reader.GetString(2)),
                ReleaseId = reader.GetString(3),
                BaselineReleaseId = reader.IsDBNull(4) ? null : reader.GetString(4),
                DatasetPath = reader.GetString(5),
                DatasetSha256 = reader.GetString(6),
                Trials = reader.GetInt32(7),
                CaseCount = reader.GetInt32(8),
                Tags = StoredResultJson.ReadStrings(reader.GetString(9)),
                ScorerVersion = reader.GetString(10),
                UseCache = reader.GetInt64(11) != 0,
                Concurrency = reader.GetInt32(12),
                Status = StoredName.Parse<EvalRunStatus>(reader.GetString(13)),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(14), CultureInfo.InvariantCulture),
                FinishedAt = reader.IsDBNull(15) ? null : DateTimeOffset.Parse(reader.GetString(15), CultureInfo.InvariantCulture),
                JudgeSpend = JudgeSpendJson.Read(reader.IsDBNull(16) ? null : reader.GetString(16), reader.GetString(0)),
            });
        }

        return list;
    }
}
