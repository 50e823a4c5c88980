using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Monitoring;

namespace Glidepath.Cli.Commands;

/// <summary>
/// The drift check's window and reference, parsed and checked one way for <c>monitor --window/--reference</c> and for the
/// check <c>serve</c> and <c>controller</c> run (<c>--monitor-window/--monitor-reference</c>): at lower traffic the docs
/// advise a longer window, and the built-in check could not follow that advice (trial "drift" #3).
/// </summary>
internal sealed class DriftCheckOptions
{
    private DriftCheckOptions(string windowName, string referenceName, string windowHelp, string referenceHelp)
    {
        Window = new Option<string?>(windowName) { Description = windowHelp };
        Reference = new Option<string?>(referenceName) { Description = referenceHelp };
    }

    public Option<string?> Window { get; }

    public Option<string?> Reference { get; }

    /// <summary><c>monitor</c>'s own <c>--window</c> and <c>--reference</c>.</summary>
    public static DriftCheckOptions ForMonitor() => new("--window", "--reference",
        "How far back 'recent' reaches, whole minutes up to 1d (default 1h)",
        "day: the same clock window on up to 7 earlier days (default); week: the same clock window 7, 14, 21, 28 days earlier");

    /// <summary>The built-in check's <c>--monitor-window</c> and <c>--monitor-reference</c> (serve, controller).</summary>
    public static DriftCheckOptions ForBuiltInCheck() => new("--monitor-window", "--monitor-reference",
        "The drift check's recent window, whole minutes up to 1d (default 1h): at lower traffic a longer one (e.g. 6h) holds enough scored requests to compare online quality",
        "The drift check's reference: day, the same clock window on up to 7 earlier days (default); week, the same clock window 7, 14, 21, 28 days earlier (weekends unlike weekdays)");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Window);
        command.Add(Reference);
    }

    /// <summary>True when either option was given.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Window) is not null || parse.GetValue(Reference) is not null;

    /// <summary>The recent window given (default 1h); anything but whole minutes up to 1d is exit 2, naming the option.</summary>
    public TimeSpan ReadWindow(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var text = parse.GetValue(Window);
        var span = CliDurations.Parse(text, Window.Name, DriftPolicy.DefaultWindow, "30m, 1h or 1d");
        return span <= DriftPolicy.MaxWindow && span.Ticks % TimeSpan.TicksPerMinute == 0
            ? span
            : throw new BadInputException($"{Window.Name} '{text}' must be whole minutes and at most 1d: the reference is the same window on earlier days");
    }

    /// <summary>The reference given (default day); anything but day or week is exit 2, naming the option.</summary>
    public DriftReference ReadReference(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var text = parse.GetValue(Reference);
        return text switch
        {
            null or "" or "day" => DriftReference.Day,
            "week" => DriftReference.Week,
            _ => throw new BadInputException($"{Reference.Name} '{text}' is not day or week; the reference is the same clock window on earlier days (day) or weeks (week)"),
        };
    }

    /// <summary>"1h against earlier days", "6h against earlier weeks": for a start-up note.</summary>
    public static string Describe(TimeSpan window, DriftReference reference) =>
        FormattableString.Invariant($"{(window.Ticks % TimeSpan.TicksPerHour == 0 ? $"{window.TotalHours:0}h" : $"{window.TotalMinutes:0}m")} against earlier {(reference == DriftReference.Week ? "weeks" : "days")}");
}
