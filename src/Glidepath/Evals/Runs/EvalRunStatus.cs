using System.Text.Json.Serialization;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>Where a run is: running → finished, or running → cancelled (resumable). Stored as <c>running</c>, <c>finished</c>, <c>cancelled</c>.</summary>
[JsonConverter(typeof(StoredNameJsonConverter<EvalRunStatus>))]
public enum EvalRunStatus
{
    Running,
    Finished,
    Cancelled,
}
