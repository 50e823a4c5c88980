using Glidepath.Storage.Sql;
using Glidepath.Traces;
using Npgsql;
using NpgsqlTypes;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// One batch of traces into the transaction's <c>trace_batch</c> table with binary COPY: one round trip for the whole
/// batch instead of one per row. Columns in <see cref="TraceRows.Columns"/> order, then the row's place in the batch.
/// </summary>
internal static class PostgresTraceCopy
{
    public static async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY trace_batch ({TraceRows.Columns}, ord) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < traces.Count; i++)
        {
            var t = traces[i];
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await Text(copy, t.TraceId, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.App, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.Environment, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.ReleaseId, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.Arm, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.SubjectHash, cancellationToken).ConfigureAwait(false);
            await Text(copy, PostgresCommands.Iso(t.StartedAt), cancellationToken).ConfigureAwait(false);
            await Text(copy, t.Api, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Stream, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.Model, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Status, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.Error, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.LatencyMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await Nullable(copy, t.TimeToFirstTokenMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.OverheadMs, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.InputTokens, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.OutputTokens, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.CostUsd, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.FinishReason, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.InputJson, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.OutputText, cancellationToken).ConfigureAwait(false);
            await Nullable(copy, t.OnlineScore, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await Nullable(copy, t.OnlinePassed, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.OnlineScoresJson, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(SubjectGroups.Of(t.SubjectHash, t.TraceId), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await Nullable(copy, t.UpstreamStatus, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.UpstreamMessage, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.KeyId, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.KeyName, cancellationToken).ConfigureAwait(false);
            await Text(copy, t.CaptureDropped, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(t.Attempts, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task Text(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task Nullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
