using System.Text.Json.Serialization;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>
/// Where a run is: running → finished, running → cancelled (stopped by the user; resumable) or running → stopped (on
/// bad input, such as a case that cannot be asked as written; resumable once fixed). Stored as <c>running</c>,
/// <c>finished</c>, <c>cancelled</c>, <c>stopped</c>.
/// </summary>
[JsonConverter(typeof(StoredNameJsonConverter<EvalRunStatus>))]
public enum EvalRunStatus
{
    Running,
    Finished,
    Cancelled,
    Stopped,
}
