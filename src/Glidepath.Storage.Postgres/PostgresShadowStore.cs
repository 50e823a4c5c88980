using Glidepath.Shadow;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Shadow pairs in PostgreSQL (migration 0020, the SQLite store's 0020): one row per candidate trace, inserted once.</summary>
internal sealed class PostgresShadowStore(PostgresDatabase database) : IShadowStore
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
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        foreach (var p in pairs)
        {
            await using var cmd = connection.Command($"""
                INSERT INTO shadow_pairs ({Columns}) VALUES (@shadow, @app, @env, @stableTrace, @candidateTrace, @stableRelease, @candidateRelease, @at, @grp,
                    @stableError, @candidateError, @stableLatency, @candidateLatency, @stableCost, @candidateCost,
                    @stablePassed, @candidatePassed, @stableScore, @candidateScore, @preference)
                ON CONFLICT (candidate_trace_id) DO NOTHING
                """, tx);
            cmd.With("shadow", p.ShadowId).With("app", p.App).With("env", p.Environment).With("stableTrace", p.StableTraceId).With("candidateTrace", p.CandidateTraceId)
                .With("stableRelease", p.StableReleaseId).With("candidateRelease", p.CandidateReleaseId).With("at", Utc(p.CreatedAt)).With("grp", p.Group)
                .With("stableError", p.StableError).With("candidateError", p.CandidateError).With("stableLatency", p.StableLatencyMs).With("candidateLatency", p.CandidateLatencyMs)
                .With("stableCost", p.StableCostUsd).With("candidateCost", p.CandidateCostUsd).With("stablePassed", p.StablePassed).With("candidatePassed", p.CandidatePassed)
                .With("stableScore", p.StableScore).With("candidateScore", p.CandidateScore).With("preference", p.CandidatePreference);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM shadow_pairs WHERE shadow_id = @shadow ORDER BY created_at, seq").With("shadow", shadowId);
        var list = new List<ShadowPairRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(r));
        }

        return list;
    }

    public async Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT COUNT(*), COALESCE(SUM(candidate_cost_usd), 0) FROM shadow_pairs WHERE shadow_id = @shadow").With("shadow", shadowId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
    }

    public async Task<ShadowSpend> ClaimAsync(string shadowId, string holder, ShadowSpend want, ShadowSpend caps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        // A shadow's first claim starts from its pairs already stored (active before migration 0035, or written by older
        // gateways). The claims row is locked first, so claims and returns take turns and each later statement (read
        // committed) sees what the ones before committed. When a wanted part is short, the holdings that lapsed are dropped
        // and the claims counted again (never up): the pairs stored plus what each live holder claimed and had not stored at
        // its last renewal (a renewal only raises what is stored, so a stale one counts more, never less).
        async Task RunAsync(string sql)
        {
            await using var cmd = connection.Command(sql, tx).With("shadow", shadowId).With("holder", holder).With("now", now.ToUnixTimeMilliseconds())
                .With("lapsed", (now - ShadowClaims.Lease).ToUnixTimeMilliseconds()).With("wantPairs", want.Pairs).With("capPairs", caps.Pairs)
                .With("wantCost", want.CostUsd).With("capCost", caps.CostUsd);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await RunAsync("""
            INSERT INTO shadow_claims (shadow_id, pairs, cost_usd)
            SELECT @shadow, COUNT(*), COALESCE(SUM(candidate_cost_usd), 0) FROM shadow_pairs WHERE shadow_id = @shadow
            ON CONFLICT (shadow_id) DO NOTHING
            """).ConfigureAwait(false);
        await RunAsync("SELECT 1 FROM shadow_claims WHERE shadow_id = @shadow FOR UPDATE").ConfigureAwait(false);
        await RunAsync("""
            INSERT INTO shadow_claim_holders (shadow_id, holder, renewed_at_ms) VALUES (@shadow, @holder, @now)
            ON CONFLICT (shadow_id, holder) DO UPDATE SET renewed_at_ms = GREATEST(shadow_claim_holders.renewed_at_ms, excluded.renewed_at_ms)
            """).ConfigureAwait(false);
        await RunAsync($"""
            DELETE FROM shadow_claim_holders WHERE shadow_id = @shadow AND renewed_at_ms <= @lapsed
            AND EXISTS (SELECT 1 FROM shadow_claims c WHERE c.shadow_id = @shadow AND {Short})
            """).ConfigureAwait(false);
        await RunAsync($"""
            UPDATE shadow_claims c SET
                pairs = LEAST(c.pairs, (SELECT COUNT(*) FROM shadow_pairs p WHERE p.shadow_id = @shadow)
                    + (SELECT COALESCE(SUM(GREATEST(h.pairs - h.stored_pairs, 0)), 0) FROM shadow_claim_holders h WHERE h.shadow_id = @shadow)),
                cost_usd = LEAST(c.cost_usd, (SELECT COALESCE(SUM(p.candidate_cost_usd), 0) FROM shadow_pairs p WHERE p.shadow_id = @shadow)
                    + (SELECT COALESCE(SUM(GREATEST(h.cost_usd - h.stored_cost_usd, 0)), 0) FROM shadow_claim_holders h WHERE h.shadow_id = @shadow))
            WHERE c.shadow_id = @shadow AND {Short}
            """).ConfigureAwait(false);
        ShadowSpend granted;
        await using (var cmd = connection.Command("""
            UPDATE shadow_claims SET
                granted_pairs = LEAST(GREATEST(@wantPairs, 0), GREATEST(@capPairs - pairs, 0)),
                pairs = pairs + LEAST(GREATEST(@wantPairs, 0), GREATEST(@capPairs - pairs, 0)),
                granted_cost_usd = LEAST(GREATEST(@wantCost, 0), GREATEST(@capCost - cost_usd, 0)),
                cost_usd = cost_usd + LEAST(GREATEST(@wantCost, 0), GREATEST(@capCost - cost_usd, 0))
            WHERE shadow_id = @shadow
            RETURNING granted_pairs, granted_cost_usd
            """, tx).With("shadow", shadowId).With("wantPairs", want.Pairs).With("capPairs", caps.Pairs).With("wantCost", want.CostUsd).With("capCost", caps.CostUsd))
        {
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            granted = new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
        }

        await using (var mine = connection.Command("""
            UPDATE shadow_claim_holders SET pairs = pairs + @pairs, cost_usd = cost_usd + @cost WHERE shadow_id = @shadow AND holder = @holder
            """, tx).With("shadow", shadowId).With("holder", holder).With("pairs", granted.Pairs).With("cost", granted.CostUsd))
        {
            await mine.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return granted;
    }

    /// <summary>A wanted part more than its cap leaves room for, on the claims row aliased c (as <see cref="ShadowClaims.Short"/>).</summary>
    private const string Short = "((@wantPairs > 0 AND c.pairs + @wantPairs > @capPairs) OR (@wantCost > 0 AND c.cost_usd + @wantCost > @capCost))";

    public async Task<bool> RenewAsync(string shadowId, string holder, ShadowSpend stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("""
            UPDATE shadow_claim_holders SET stored_pairs = @pairs, stored_cost_usd = @cost, renewed_at_ms = GREATEST(renewed_at_ms, @now)
            WHERE shadow_id = @shadow AND holder = @holder
            """).With("shadow", shadowId).With("holder", holder).With("pairs", stored.Pairs).With("cost", stored.CostUsd).With("now", now.ToUnixTimeMilliseconds());
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task ReturnAsync(string shadowId, string holder, ShadowSpend unused, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        // Only a holder that still holds a claim gives back: one whose holding lapsed was counted again without it.
        foreach (var sql in new[]
        {
            """
            UPDATE shadow_claims SET pairs = GREATEST(pairs - GREATEST(@pairs, 0), 0), cost_usd = GREATEST(cost_usd - GREATEST(@cost, 0), 0)
            WHERE shadow_id = @shadow AND EXISTS (SELECT 1 FROM shadow_claim_holders WHERE shadow_id = @shadow AND holder = @holder)
            """,
            """
            UPDATE shadow_claim_holders SET pairs = GREATEST(pairs - GREATEST(@pairs, 0), 0), cost_usd = GREATEST(cost_usd - GREATEST(@cost, 0), 0)
            WHERE shadow_id = @shadow AND holder = @holder
            """,
        })
        {
            await using var cmd = connection.Command(sql, tx).With("shadow", shadowId).With("holder", holder).With("pairs", unused.Pairs).With("cost", unused.CostUsd);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShadowClaimState> ClaimStateAsync(string shadowId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("""
            SELECT COUNT(*), COALESCE(SUM(candidate_cost_usd), 0), MAX(created_at),
                (SELECT pairs FROM shadow_claims WHERE shadow_id = @shadow), (SELECT cost_usd FROM shadow_claims WHERE shadow_id = @shadow),
                (SELECT COUNT(*) FROM shadow_claim_holders WHERE shadow_id = @shadow AND renewed_at_ms > @lapsed),
                (SELECT COUNT(*) FROM shadow_claim_holders WHERE shadow_id = @shadow AND renewed_at_ms <= @lapsed)
            FROM shadow_pairs WHERE shadow_id = @shadow
            """).With("shadow", shadowId).With("lapsed", (now - ShadowClaims.Lease).ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        var stored = new ShadowSpend(r.GetInt64(0), r.GetDouble(1));
        var claimed = r.IsDBNull(3) ? stored : new ShadowSpend(r.GetInt64(3), r.GetDouble(4));
        return new ShadowClaimState(claimed, stored, r.IsDBNull(2) ? null : ParseUtc(r.GetString(2)), (int)r.GetInt64(5), (int)r.GetInt64(6), !r.IsDBNull(3));
    }

    private static ShadowPairRecord Read(NpgsqlDataReader r) => new()
    {
        ShadowId = r.GetString(0),
        App = r.GetString(1),
        Environment = r.GetString(2),
        StableTraceId = r.GetString(3),
        CandidateTraceId = r.GetString(4),
        StableReleaseId = r.GetString(5),
        CandidateReleaseId = r.GetString(6),
        CreatedAt = ParseUtc(r.GetString(7)),
        Group = r.GetInt32(8),
        StableError = r.GetBoolean(9),
        CandidateError = r.GetBoolean(10),
        StableLatencyMs = r.IsDBNull(11) ? null : r.GetDouble(11),
        CandidateLatencyMs = r.IsDBNull(12) ? null : r.GetDouble(12),
        StableCostUsd = r.GetDouble(13),
        CandidateCostUsd = r.GetDouble(14),
        StablePassed = r.IsDBNull(15) ? null : r.GetBoolean(15),
        CandidatePassed = r.IsDBNull(16) ? null : r.GetBoolean(16),
        StableScore = r.IsDBNull(17) ? null : r.GetDouble(17),
        CandidateScore = r.IsDBNull(18) ? null : r.GetDouble(18),
        CandidatePreference = r.IsDBNull(19) ? null : r.GetDouble(19),
    };
}
