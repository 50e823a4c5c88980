using Glidepath.Evals;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Gate verdicts, append-only: a newer verdict supersedes an older one by time, never by overwriting it.</summary>
internal sealed class SqliteGateVerdictStore(SqliteDatabase database) : IGateVerdictStore
{
    private const string Columns =
        "id, app, candidate_release_id, baseline_release_id, dataset_sha256, result, judge_version, created_at, details_json, gate_rule, gate_rule_sha256";

    public async Task SaveAsync(GateVerdictRecord verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            INSERT INTO gate_verdicts ({Columns})
            VALUES ($id, $app, $candidate, $baseline, $dataset, $result, $judge, $at, $details, $rule, $rule_sha256)
            """;
        cmd.Parameters.AddWithValue("$id", verdict.Id);
        cmd.Parameters.AddWithValue("$app", verdict.App);
        cmd.Parameters.AddWithValue("$candidate", verdict.CandidateReleaseId);
        cmd.Parameters.AddWithValue("$baseline", verdict.BaselineReleaseId);
        cmd.Parameters.AddWithValue("$dataset", verdict.DatasetSha256);
        cmd.Parameters.AddWithValue("$result", verdict.Result);
        cmd.Parameters.AddWithValue("$judge", (object?)verdict.JudgeVersion ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", SqliteEnvironmentStore.Format(verdict.CreatedAt));
        cmd.Parameters.AddWithValue("$details", verdict.DetailsJson);
        cmd.Parameters.AddWithValue("$rule", (object?)verdict.GateRule ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$rule_sha256", (object?)verdict.GateRuleSha256 ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<GateVerdictRecord?> LatestAsync(string app, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken)
    {
        var list = await QueryAsync(
            "app = $app AND candidate_release_id = $candidate AND baseline_release_id = $baseline", 1, cancellationToken,
            ("$app", app), ("$candidate", candidateReleaseId), ("$baseline", baselineReleaseId)).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<GateVerdictRecord>> ListAsync(string app, string candidateReleaseId, CancellationToken cancellationToken) =>
        QueryAsync("app = $app AND candidate_release_id = $candidate", null, cancellationToken, ("$app", app), ("$candidate", candidateReleaseId));

    private async Task<IReadOnlyList<GateVerdictRecord>> QueryAsync(string where, int? limit, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM gate_verdicts WHERE {where} ORDER BY created_at DESC, seq DESC{(limit is { } n ? $" LIMIT {n}" : "")}";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var list = new List<GateVerdictRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new GateVerdictRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                SqliteEnvironmentStore.Parse(reader.GetString(7)),
                reader.GetString(8))
            {
                GateRule = reader.IsDBNull(9) ? null : reader.GetString(9),
                GateRuleSha256 = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return list;
    }
}
