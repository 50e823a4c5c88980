using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Storage;

namespace Glidepath.Tests.Storage;

public sealed class StoredNameTests
{
    [Fact]
    public void Of_EveryState_IsTheStringTheStoreAlreadyHolds()
    {
        Assert.Equal(["eval", "gate"], Enum.GetValues<EvalRunKind>().Select(StoredName.Of));
        Assert.Equal(["running", "finished", "cancelled", "stopped"], Enum.GetValues<EvalRunStatus>().Select(StoredName.Of));
        Assert.Equal(["pass", "blocked", "error"], Enum.GetValues<GateResult>().Select(StoredName.Of));
    }

    [Fact]
    public void Parse_StoredString_RoundTrips()
    {
        Assert.Equal(EvalRunStatus.Cancelled, StoredName.Parse<EvalRunStatus>("cancelled"));
        Assert.Equal(EvalRunStatus.Stopped, StoredName.Parse<EvalRunStatus>("stopped"));
        Assert.Equal(GateResult.Blocked, StoredName.Parse<GateResult>(StoredName.Of(GateResult.Blocked)));
    }

    [Fact]
    public void Parse_UnknownOrDifferentlyCasedString_IsAFormatErrorListingTheNames()
    {
        var ex = Assert.Throws<FormatException>(() => StoredName.Parse<EvalRunStatus>("Finished"));
        Assert.Equal("'Finished' is not a EvalRunStatus; expected one of: running, finished, cancelled, stopped", ex.Message);
    }

    [Fact]
    public void Serialize_StateWithDefaultOptions_WritesTheStoredString()
    {
        var json = JsonSerializer.Serialize(new { kind = EvalRunKind.Gate, status = EvalRunStatus.Running, result = GateResult.Pass });

        Assert.Equal("""{"kind":"gate","status":"running","result":"pass"}""", json);
        Assert.Equal(EvalRunKind.Gate, JsonSerializer.Deserialize<EvalRunKind>("\"gate\""));
    }
}
