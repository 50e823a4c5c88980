using System.Text.Json.Serialization;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>Which command a run belongs to, and so which command resumes it. Stored as <c>eval</c> or <c>gate</c>.</summary>
[JsonConverter(typeof(StoredNameJsonConverter<EvalRunKind>))]
public enum EvalRunKind
{
    /// <summary>One release scored over a dataset (<c>glidepath eval run</c>).</summary>
    Eval,

    /// <summary>A candidate and its baseline scored over the same cases, then compared (<c>glidepath gate</c>).</summary>
    Gate,
}
