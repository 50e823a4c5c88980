using Glidepath.Storage.Sql;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// The trace batch's one hot statement on SQLite's own API: prepared once per batch, its 31 values bound by position,
/// stepped inside the caller's transaction on the same connection. Microsoft.Data.Sqlite looks every parameter up by
/// name on every execution and builds a data reader per row, which at thousands of traces a second showed up as a
/// share of the gateway's CPU (docs/benchmarks.md). Same SQL and values as before: the store reads them back alike.
/// </summary>
internal sealed class SqliteTraceInsert : IDisposable
{
    private static readonly string Sql = $"INSERT OR IGNORE INTO traces ({TraceRows.Columns}) VALUES ({string.Join(", ", Enumerable.Repeat("?", 31))})";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteTraceInsert(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    /// <summary>Inserts <paramref name="t"/> unless a trace with its id is stored already; true when it was new.</summary>
    public bool Insert(TraceRecord t)
    {
        var s = _statement;
        Text(s, 1, t.TraceId);
        Text(s, 2, t.App);
        Text(s, 3, t.Environment);
        Text(s, 4, t.ReleaseId);
        Text(s, 5, t.Arm);
        Text(s, 6, t.SubjectHash);
        Text(s, 7, TraceRows.Iso(t.StartedAt));
        Text(s, 8, t.Api);
        raw.sqlite3_bind_int64(s, 9, t.Stream ? 1 : 0);
        Text(s, 10, t.Model);
        raw.sqlite3_bind_int64(s, 11, t.Status);
        Text(s, 12, t.Error);
        raw.sqlite3_bind_double(s, 13, t.LatencyMs);
        Real(s, 14, t.TimeToFirstTokenMs);
        raw.sqlite3_bind_double(s, 15, t.OverheadMs);
        raw.sqlite3_bind_int64(s, 16, t.InputTokens);
        raw.sqlite3_bind_int64(s, 17, t.OutputTokens);
        raw.sqlite3_bind_double(s, 18, t.CostUsd);
        Text(s, 19, t.FinishReason);
        Text(s, 20, t.InputJson);
        Text(s, 21, t.OutputText);
        Real(s, 22, t.OnlineScore);
        Integer(s, 23, t.OnlinePassed is { } passed ? (passed ? 1 : 0) : null);
        Text(s, 24, t.OnlineScoresJson);
        raw.sqlite3_bind_int64(s, 25, SubjectGroups.Of(t.SubjectHash, t.TraceId));
        Integer(s, 26, t.UpstreamStatus);
        Text(s, 27, t.UpstreamMessage);
        Text(s, 28, t.KeyId);
        Text(s, 29, t.KeyName);
        Text(s, 30, t.CaptureDropped);
        raw.sqlite3_bind_int64(s, 31, t.Attempts);
        try
        {
            var rc = raw.sqlite3_step(s);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return raw.sqlite3_changes(_db) == 1;
        }
        finally
        {
            raw.sqlite3_reset(s);
        }
    }

    public void Dispose() => _statement.Dispose();

    private static void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
        }
        else
        {
            raw.sqlite3_bind_text(s, index, value);
        }
    }

    private static void Real(sqlite3_stmt s, int index, double? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_double(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    private static void Integer(sqlite3_stmt s, int index, long? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    /// <summary>A failed step as Microsoft.Data.Sqlite reports one, so the trace writer's retry sees the same exception.</summary>
    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
