using System.Globalization;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>
/// Shows a run's progress on stderr: a redrawn bar with ETA on a terminal, a plain line every 10% when piped.
/// Reports come from the workers' threads and may arrive out of order: one older than what was shown is skipped, so
/// the count never goes back.
/// </summary>
internal sealed class RunProgressPrinter(TextWriter stderr, bool interactive, TimeProvider time, string label, int alreadyDone)
{
    private readonly Lock _lock = new();
    private long _lastDraw;
    private int _lastDecile = -1;
    private int _shown = -1;
    private bool _drawn;
    private string _bar = "";

    public static bool IsInteractive(CliEnvironment env) => env.IsTerminal && !Console.IsErrorRedirected;

    public void Report(RunProgress p)
    {
        lock (_lock)
        {
            if (p.Completed <= _shown)
            {
                return;
            }

            _shown = p.Completed;
            var eta = p.Eta(p.Completed - alreadyDone);
            var pct = p.Total == 0 ? 100 : p.Completed * 100 / p.Total;
            var errors = p.Errors > 0 ? $" · {p.Errors} error(s)" : "";
            if (interactive)
            {
                if (time.GetElapsedTime(_lastDraw).TotalMilliseconds < 100 && p.Completed < p.Total)
                {
                    return;
                }

                _lastDraw = time.GetTimestamp();
                const int width = 28;
                var filled = p.Total == 0 ? width : p.Completed * width / p.Total;
                _bar = string.Create(CultureInfo.InvariantCulture,
                    $"{label} [{new string('█', filled)}{new string('░', width - filled)}] {p.Completed}/{p.Total} {pct,3}%{errors} · ETA {Format(eta)}   ");
                stderr.Write('\r');
                stderr.Write(_bar);
                _drawn = true;
                return;
            }

            var decile = pct / 10;
            if (decile > _lastDecile)
            {
                _lastDecile = decile;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {p.Completed}/{p.Total} ({pct}%){errors}, ETA {Format(eta)}"));
            }
        }
    }

    /// <summary>
    /// One line of its own on stderr while the run goes (a provider back-off's notice, from any thread): on a terminal the
    /// bar's line is blanked first and the bar drawn again below the line, so the two never share a line (outside trial
    /// gate1000: the notice was written inside the redrawn bar).
    /// </summary>
    public void Note(string line)
    {
        lock (_lock)
        {
            if (_drawn)
            {
                stderr.Write('\r');
                stderr.Write(new string(' ', _bar.Length));
                stderr.Write('\r');
            }

            stderr.WriteLine(line);
            if (_drawn)
            {
                stderr.Write(_bar);
            }
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                stderr.WriteLine();
                _drawn = false;
            }
        }
    }

    private static string Format(TimeSpan? eta) => eta is not { } t ? "--:--"
        : t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
