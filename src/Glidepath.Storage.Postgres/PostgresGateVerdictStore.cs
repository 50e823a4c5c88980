using Glidepath.Evals;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Gate verdicts, immutable: a newer verdict supersedes an older one by time, never by overwriting it.</summary>
internal sealed class PostgresGateVerdictStore(PostgresDatabase database) : IGateVerdictStore
{
    private const string Columns =
        "id, app, candidate_release_id, baseline_release_id, dataset_sha256, result, judge_version, created_at, details_json, gate_rule, gate_rule_sha256";

    public async Task SaveAsync(GateVerdictRecord verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"""
            INSERT INTO gate_verdicts ({Columns})
            VALUES (@id, @app, @candidate, @baseline, @dataset, @result, @judge, @at, @details, @rule, @rule_sha256)
            """);
        cmd.With("id", verdict.Id).With("app", verdict.App).With("candidate", verdict.CandidateReleaseId).With("baseline", verdict.BaselineReleaseId)
            .With("dataset", verdict.DatasetSha256).With("result", verdict.Result).With("judge", verdict.JudgeVersion)
            .With("at", Utc(verdict.CreatedAt)).With("details", verdict.DetailsJson)
            .With("rule", verdict.GateRule).With("rule_sha256", verdict.GateRuleSha256);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<GateVerdictRecord?> LatestAsync(string app, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken)
    {
        var list = await QueryAsync(
            "app = @app AND candidate_release_id = @candidate AND baseline_release_id = @baseline", 1, cancellationToken,
            ("app", app), ("candidate", candidateReleaseId), ("baseline", baselineReleaseId)).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<GateVerdictRecord>> ListAsync(string app, string candidateReleaseId, CancellationToken cancellationToken) =>
        QueryAsync("app = @app AND candidate_release_id = @candidate", null, cancellationToken, ("app", app), ("candidate", candidateReleaseId));

    private async Task<IReadOnlyList<GateVerdictRecord>> QueryAsync(string where, int? limit, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM gate_verdicts WHERE {where} ORDER BY created_at DESC, seq DESC{(limit is { } n ? $" LIMIT {n}" : "")}");
        foreach (var (name, value) in args)
        {
            cmd.With(name, value);
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
                reader.StringOrNull(6),
                ParseUtc(reader.GetString(7)),
                reader.GetString(8))
            {
                GateRule = reader.StringOrNull(9),
                GateRuleSha256 = reader.StringOrNull(10),
            });
        }

        return list;
    }
}
