using System.Text.Json.Serialization;
using Glidepath.Storage;

namespace Glidepath.Evals.Scorers;

/// <summary>How one case × trial ended. An error (provider, scorer, judge) is never counted as a pass. JSON: <c>pass</c>, <c>fail</c>, <c>error</c>.</summary>
[JsonConverter(typeof(StoredNameJsonConverter<TrialStatus>))]
public enum TrialStatus
{
    Pass,
    Fail,
    Error,
}
