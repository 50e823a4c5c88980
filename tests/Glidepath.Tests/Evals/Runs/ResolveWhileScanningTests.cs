using Glidepath.Errors;
using Glidepath.Releases;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>The dataset read while the releases resolve: a refusal by the resolution comes first and does not wait for the read.</summary>
public sealed class ResolveWhileScanningTests
{
    [Fact]
    public async Task ARefusal_WithADatasetPipeWhoseWriterHasNotWritten_DoesNotWaitForThePipe()
    {
        await using var app = await EvalTestApp.CreateAsync();
        using var evals = app.Evals();
        using var dir = new TempDir();
        var fifo = dir.Fifo("cases.jsonl");
        // Opened to read and write, the pipe has a writer (this test) before the scan opens it, and it writes nothing: the
        // scan's read(2) waits, and a read of a pipe does not see a cancellation.
        await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);

        // The resolution refuses only once the scan waits in that read. A regression waits for ever: the bounds turn that
        // into a failure, no timing is measured.
        var refused = evals.ResolveWhileScanningAsync<int>(fifo, [], async ct =>
        {
            await PipeReads.WaitUntilAThreadReadsAsync(fifo).WaitAsync(TimeSpan.FromMinutes(2), ct);
            throw new BadInputException("release v9 does not exist");
        }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<BadInputException>(() => refused.WaitAsync(TimeSpan.FromMinutes(3)));

        Assert.Equal("release v9 does not exist", ex.Message);
    }
}
