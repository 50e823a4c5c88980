using System.Text;
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

    // Outside trial gate1000: on a terminal the back-off's notice was written after the bar, inside its redrawn line.
    [Fact]
    public void Note_OnATerminalWhileTheBarIsShown_GetsALineOfItsOwnAndTheBarIsDrawnAgainBelow()
    {
        using var stderr = new StringWriter();
        var output = new CliOutput(new CliEnvironment(TextWriter.Null, stderr, IsTerminal: false), json: false);
        var printer = new RunProgressPrinter(stderr, interactive: true, TimeProvider.System, "run r1", alreadyDone: 0);
        output.Progress = printer;

        printer.Report(At(5, 10));
        output.Note("openai m at http://127.0.0.1:9/v1 is rate limiting (429/503): every call waits 1 s (retry-after), then one goes first");
        printer.Report(At(10, 10));
        printer.Finish();

        var screen = Screen(stderr.ToString());
        Assert.Equal(2, screen.Count);
        Assert.Equal("openai m at http://127.0.0.1:9/v1 is rate limiting (429/503): every call waits 1 s (retry-after), then one goes first", screen[0]);
        Assert.StartsWith("run r1 [████████████████████████████] 10/10 100%", screen[1], StringComparison.Ordinal);
    }

    // What a terminal shows for the text: a carriage return goes back to the line's start and what follows overwrites it.
    private static List<string> Screen(string written)
    {
        var lines = new List<StringBuilder> { new() };
        var column = 0;
        foreach (var c in written)
        {
            if (c == '\r')
            {
                column = 0;
            }
            else if (c == '\n')
            {
                lines.Add(new StringBuilder());
                column = 0;
            }
            else
            {
                var line = lines[^1];
                if (column < line.Length)
                {
                    line[column] = c;
                }
                else
                {
                    line.Append(c);
                }

                column++;
            }
        }

        return [.. lines.Select(l => l.ToString().TrimEnd()).Where(l => l.Length > 0)];
    }
}
