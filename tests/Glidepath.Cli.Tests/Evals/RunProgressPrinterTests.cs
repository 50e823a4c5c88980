using Glidepath.Cli.Commands;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>Progress from the workers' threads can arrive out of order; what is shown never goes back.</summary>
public sealed class RunProgressPrinterTests
{
    private static RunProgress At(int completed, int total) => new(completed, total, completed, 0, 0, TimeSpan.FromSeconds(completed));

    [Fact]
    public void Report_Piped_AReportOlderThanTheLastShownIsSkipped()
    {
        using var stderr = new StringWriter();
        var printer = new RunProgressPrinter(stderr, interactive: false, TimeProvider.System, "run r1", alreadyDone: 0);

        printer.Report(At(2, 10));
        printer.Report(At(1, 10));
        printer.Report(At(3, 10));
        printer.Report(At(10, 10));
        printer.Report(At(9, 10));

        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(["2/10", "3/10", "10/10"], lines);
    }
}
