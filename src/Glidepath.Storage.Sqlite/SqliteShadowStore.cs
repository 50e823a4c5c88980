using Glidepath.Shadow;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Shadow pairs in SQLite (migration 0020): one row per candidate trace, inserted once, never changed.</summary>
internal sealed class SqliteShadowStore(SqliteDatabase database) : IShadowStore
{
    private const string Columns =
        "shadow_id, app, environment, stable_trace_id, candidate_trace_id, stable_release_id, candidate_release_id, created_at, grp, " +
        "stable_error, candidate_error, stable_latency_ms, candidate_latency_ms, stable_cost_usd, candidate_cost_usd, " +
        "stable_passed, candidate_passed, stable_score, candidate_score, candidate_preference";

    public async Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"""
            INSERT INTO shadow_pairs ({Columns}) VALUES ($shadow, $app, $env, $stableTrace, $candidateTrace, $stableRelease, $candidateRelease, $at, $grp,
                $stableError, $candidateError, $stableLatency, $candidateLatency, $stableCost, $candidateCost,
                $stablePassed, $candidatePassed, $stableScore, $candidateScore, $preference)
            ON CONFLICT (candidate_trace_id) DO NOTHING
            """;
        foreach (var name in new[]
        {
            "$shadow", "$app", "$env", "$stableTrace", "$candidateTrace", "$stableRelease", "$candidateRelease", "$at", "$grp", "$stableError", "$candidateError",
            "$stableLatency", "$candidateLatency", "$stableCost", "$candidateCost", "$stablePassed", "$candidatePassed", "$stableScore", "$candidateScore", "$preference",
        })
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (var p in pairs)
        {
            object?[] values =
            [
                p.ShadowId, p.App, p.Environment, p.StableTraceId, p.CandidateTraceId, p.StableReleaseId, p.CandidateReleaseId,
                SqliteEnvironmentStore.Format(p.CreatedAt), p.Group, p.StableError ? 1 : 0, p.CandidateError ? 1 : 0,
                p.StableLatencyMs, p.CandidateLatencyMs, p.StableCostUsd, p.CandidateCostUsd,
                p.StablePassed is { } sp ? (sp ? 1 : 0) : null, p.CandidatePassed is { } cp ? (cp ? 1 : 0) : null,
                p.StableScore, p.CandidateScore, p.CandidatePreference,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM shadow_pairs WHERE shadow_id = $shadow ORDER BY created_at, rowid";
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        var list = new List<ShadowPairRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ShadowPairRecord
            {
                ShadowId = r.GetString(0),
                App = r.GetString(1),
                Environment = r.GetString(2),
                StableTraceId = r.GetString(3),
                CandidateTraceId = r.GetString(4),
                StableReleaseId = r.GetString(5),
                CandidateReleaseId = r.GetString(6),
                CreatedAt = SqliteEnvironmentStore.Parse(r.GetString(7)),
                Group = r.GetInt32(8),
                StableError = r.GetInt64(9) != 0,
                CandidateError = r.GetInt64(10) != 0,
                StableLatencyMs = r.IsDBNull(11) ? null : r.GetDouble(11),
                CandidateLatencyMs = r.IsDBNull(12) ? null : r.GetDouble(12),
                StableCostUsd = r.GetDouble(13),
                CandidateCostUsd = r.GetDouble(14),
                StablePassed = r.IsDBNull(15) ? null : r.GetInt64(15) != 0,
                CandidatePassed = r.IsDBNull(16) ? null : r.GetInt64(16) != 0,
                StableScore = r.IsDBNull(17) ? null : r.GetDouble(17),
                CandidateScore = r.IsDBNull(18) ? null : r.GetDouble(18),
                CandidatePreference = r.IsDBNull(19) ? null : r.GetDouble(19),
            });
        }

        return list;
    }

    public async Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COALESCE(SUM(candidate_cost_usd), 0) FROM shadow_pairs WHERE shadow_id = $shadow";
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
    }

    public async Task<ShadowSpend> ClaimAsync(string shadowId, string holder, ShadowSpend want, ShadowSpend caps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        // A shadow's first claim starts from its pairs already stored (a shadow active before migration 0035, or pairs written
        // by gateways of an older version). When a wanted part is short, the holdings that lapsed are dropped and the claims
        // counted again (never up): the pairs stored plus what each live holder claimed and had not stored at its last
        // renewal. Each UPDATE is one statement: every right-hand side reads the row as it was, so the grant and the new
        // totals agree; the transaction (BEGIN IMMEDIATE) keeps other claims out until the holder's row has its grant.
        cmd.CommandText = $"""
            INSERT INTO shadow_claims (shadow_id, pairs, cost_usd)
                SELECT $shadow, COUNT(*), COALESCE(SUM(candidate_cost_usd), 0) FROM shadow_pairs WHERE shadow_id = $shadow
                ON CONFLICT (shadow_id) DO NOTHING;
            INSERT INTO shadow_claim_holders (shadow_id, holder, renewed_at_ms) VALUES ($shadow, $holder, $now)
                ON CONFLICT (shadow_id, holder) DO UPDATE SET renewed_at_ms = MAX(renewed_at_ms, excluded.renewed_at_ms);
            DELETE FROM shadow_claim_holders WHERE shadow_id = $shadow AND renewed_at_ms <= $lapsed
                AND EXISTS (SELECT 1 FROM shadow_claims c WHERE c.shadow_id = $shadow AND {Short});
            UPDATE shadow_claims SET
                pairs = MIN(pairs, (SELECT COUNT(*) FROM shadow_pairs p WHERE p.shadow_id = $shadow)
                    + (SELECT COALESCE(SUM(MAX(h.pairs - h.stored_pairs, 0)), 0) FROM shadow_claim_holders h WHERE h.shadow_id = $shadow)),
                cost_usd = MIN(cost_usd, (SELECT COALESCE(SUM(p.candidate_cost_usd), 0) FROM shadow_pairs p WHERE p.shadow_id = $shadow)
                    + (SELECT COALESCE(SUM(MAX(h.cost_usd - h.stored_cost_usd, 0)), 0) FROM shadow_claim_holders h WHERE h.shadow_id = $shadow))
            WHERE shadow_id = $shadow AND {Short.Replace("c.", "", StringComparison.Ordinal)};
            UPDATE shadow_claims SET
                granted_pairs = MIN(MAX($wantPairs, 0), MAX($capPairs - pairs, 0)),
                pairs = pairs + MIN(MAX($wantPairs, 0), MAX($capPairs - pairs, 0)),
                granted_cost_usd = MIN(MAX($wantCost, 0), MAX($capCost - cost_usd, 0)),
                cost_usd = cost_usd + MIN(MAX($wantCost, 0), MAX($capCost - cost_usd, 0))
            WHERE shadow_id = $shadow;
            UPDATE shadow_claim_holders SET
                pairs = pairs + (SELECT granted_pairs FROM shadow_claims WHERE shadow_id = $shadow),
                cost_usd = cost_usd + (SELECT granted_cost_usd FROM shadow_claims WHERE shadow_id = $shadow)
            WHERE shadow_id = $shadow AND holder = $holder;
            SELECT granted_pairs, granted_cost_usd FROM shadow_claims WHERE shadow_id = $shadow;
            """;
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        cmd.Parameters.AddWithValue("$holder", holder);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$lapsed", (now - ShadowClaims.Lease).ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$wantPairs", want.Pairs);
        cmd.Parameters.AddWithValue("$capPairs", caps.Pairs);
        cmd.Parameters.AddWithValue("$wantCost", want.CostUsd);
        cmd.Parameters.AddWithValue("$capCost", caps.CostUsd);
        ShadowSpend granted;
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            granted = new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return granted;
    }

    /// <summary>A wanted part more than its cap leaves room for, on the claims row aliased c (as <see cref="ShadowClaims.Short"/>).</summary>
    private const string Short = "(($wantPairs > 0 AND c.pairs + $wantPairs > $capPairs) OR ($wantCost > 0 AND c.cost_usd + $wantCost > $capCost))";

    public async Task<bool> RenewAsync(string shadowId, string holder, ShadowSpend stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            UPDATE shadow_claim_holders SET stored_pairs = $pairs, stored_cost_usd = $cost, renewed_at_ms = MAX(renewed_at_ms, $now)
            WHERE shadow_id = $shadow AND holder = $holder
            """;
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        cmd.Parameters.AddWithValue("$holder", holder);
        cmd.Parameters.AddWithValue("$pairs", stored.Pairs);
        cmd.Parameters.AddWithValue("$cost", stored.CostUsd);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task ReturnAsync(string shadowId, string holder, ShadowSpend unused, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // Only a holder that still holds a claim gives back: one whose holding lapsed was counted again without it.
        cmd.CommandText = """
            UPDATE shadow_claims SET pairs = MAX(pairs - MAX($pairs, 0), 0), cost_usd = MAX(cost_usd - MAX($cost, 0), 0)
            WHERE shadow_id = $shadow AND EXISTS (SELECT 1 FROM shadow_claim_holders WHERE shadow_id = $shadow AND holder = $holder);
            UPDATE shadow_claim_holders SET pairs = MAX(pairs - MAX($pairs, 0), 0), cost_usd = MAX(cost_usd - MAX($cost, 0), 0)
            WHERE shadow_id = $shadow AND holder = $holder;
            """;
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        cmd.Parameters.AddWithValue("$holder", holder);
        cmd.Parameters.AddWithValue("$pairs", unused.Pairs);
        cmd.Parameters.AddWithValue("$cost", unused.CostUsd);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShadowClaimState> ClaimStateAsync(string shadowId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT COUNT(*), COALESCE(SUM(candidate_cost_usd), 0), MAX(created_at),
                (SELECT pairs FROM shadow_claims WHERE shadow_id = $shadow), (SELECT cost_usd FROM shadow_claims WHERE shadow_id = $shadow),
                (SELECT COUNT(*) FROM shadow_claim_holders WHERE shadow_id = $shadow AND renewed_at_ms > $lapsed),
                (SELECT COUNT(*) FROM shadow_claim_holders WHERE shadow_id = $shadow AND renewed_at_ms <= $lapsed)
            FROM shadow_pairs WHERE shadow_id = $shadow
            """;
        cmd.Parameters.AddWithValue("$shadow", shadowId);
        cmd.Parameters.AddWithValue("$lapsed", (now - ShadowClaims.Lease).ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        var stored = new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
        var claimed = r.IsDBNull(3) ? stored : new ShadowSpend(r.GetInt64(3), r.GetDouble(4));
        return new ShadowClaimState(claimed, stored, r.IsDBNull(2) ? null : SqliteEnvironmentStore.Parse(r.GetString(2)), r.GetInt32(5), r.GetInt32(6), !r.IsDBNull(3));
    }
}
