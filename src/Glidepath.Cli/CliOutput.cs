using System.Text;
using System.Text.Json;
using Glidepath.Environments;
using Spectre.Console;

namespace Glidepath.Cli;

/// <summary>Writes results: JSON on stdout with --format json, Spectre tables on a terminal, plain aligned text when piped or with NO_COLOR.</summary>
internal sealed class CliOutput
{
    /// <summary>The views' JSON settings (<see cref="Views.ViewJson"/>): the admin API writes the same bytes.</summary>
    public static readonly JsonSerializerOptions JsonOptions = Views.ViewJson.Options;

    private static readonly JsonSerializerOptions LineOptions = new(Views.ViewJson.Options) { WriteIndented = false };

    private readonly CliEnvironment _env;
    private readonly IAnsiConsole? _ansi;
    private Commands.RunProgressPrinter? _progress;

    public CliOutput(CliEnvironment env, bool json)
    {
        _env = env;
        IsJson = json;
        // Every styled write goes through this console, so without it (NO_COLOR, a pipe, JSON) no escape is written:
        // Spectre's own NO_COLOR handling drops colours but still wrote bold and resets.
        if (env.IsTerminal && !json && !env.NoColor)
        {
            _ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(env.Stdout),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
            });
        }
    }

    public bool IsJson { get; }

    public bool IsRich => _ansi is not null;

    public IAnsiConsole? Ansi => _ansi;

    public TextWriter Stdout => _env.Stdout;

    /// <summary>
    /// One JSON document on stdout, written as it is serialized (a report of any size is never one string). Should the
    /// serializer fail part-way, what was written is ended with a line break, so the error object printed next starts
    /// on a line of its own.
    /// </summary>
    public void Json(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var stream = new TextWriterStream(_env.Stdout);
        try
        {
            JsonSerializer.Serialize(stream, value, value.GetType(), Lines ? LineOptions : JsonOptions);
        }
        catch when (stream.Written)
        {
            _env.Stdout.WriteLine();
            throw;
        }

        _env.Stdout.WriteLine();
    }

    /// <summary>
    /// One JSON document on stdout written by <paramref name="write"/> with a <see cref="Utf8JsonWriter"/> in the CLI's
    /// JSON style (indented, or on one line under <see cref="Lines"/>): for documents written by hand, which never start
    /// the reflection-based serializer. The writer passes its text on whenever <paramref name="write"/> flushes it (a long
    /// list should, every few KB); a failure part-way drops what was not passed on and ends what was with a line break.
    /// </summary>
    public void Json(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = new TextWriterStream(_env.Stdout);
        using var writer = new Utf8JsonWriter(stream, Views.ViewJson.Writer(indented: !Lines));
        try
        {
            write(writer);
            writer.Flush();
        }
        catch
        {
            writer.Reset();
            if (stream.Written)
            {
                _env.Stdout.WriteLine();
            }

            throw;
        }

        _env.Stdout.WriteLine();
    }

    /// <summary>
    /// One compact JSON document per line (JSON Lines) instead of indented documents: for <c>--watch</c>, which writes a
    /// document per refresh, so a line reader gets one whole value per line.
    /// </summary>
    public bool Lines { get; set; }

    /// <summary>JSON already written with <see cref="JsonOptions"/> (an admin API answer), printed as it came (on one line under <see cref="Lines"/>).</summary>
    public void RawJson(string json)
    {
        if (!Lines)
        {
            _env.Stdout.WriteLine(json);
            return;
        }

        using var doc = JsonDocument.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, Views.ViewJson.Writer(indented: false)))
        {
            doc.WriteTo(writer);
        }

        _env.Stdout.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public void JsonError(string message, int exitCode)
    {
        if (IsJson)
        {
            _env.Stdout.WriteLine(ErrorObject(message, exitCode, indented: !Lines));
        }
    }

    /// <summary>
    /// The object every failure prints on stdout under <c>--format json</c>: <c>error</c>, then <c>usage</c> for a
    /// usage error, <c>resume</c> for a run that can be continued, then <c>exit_code</c>. Written by hand, so a failing command never starts the reflection-based serializer.
    /// </summary>
    /// <param name="resume">The command that continues a run the failure stopped, written as <c>resume</c>; null: none.</param>
    public static string ErrorObject(string error, int exitCode, string? usage = null, bool indented = true, string? resume = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Views.ViewJson.Writer(indented)))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            if (usage is not null)
            {
                writer.WriteString("usage", usage);
            }

            if (resume is not null)
            {
                writer.WriteString("resume", resume);
            }

            writer.WriteNumber("exit_code", exitCode);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A line of text (ignored with --format json). <paramref name="markup"/> is Spectre markup used on a terminal.</summary>
    public void Line(string text = "", string? markup = null)
    {
        if (IsJson)
        {
            return;
        }

        if (_ansi is not null && markup is not null)
        {
            _ansi.MarkupLine(RecordedText.Escaped(markup, keepLineBreaks: true));
        }
        else
        {
            _env.Stdout.WriteLine(RecordedText.Escaped(text, keepLineBreaks: true));
        }
    }

    /// <summary>
    /// Diagnostics and progress go to stderr so that stdout stays clean for machines. While a run's progress is shown
    /// (<see cref="Progress"/>), a note goes through it, so it gets a line of its own above the bar.
    /// </summary>
    public void Note(string text)
    {
        var line = RecordedText.Escaped(text, keepLineBreaks: true);
        if (Volatile.Read(ref _progress) is { } progress)
        {
            progress.Note(line);
        }
        else
        {
            _env.Stderr.WriteLine(line);
        }
    }

    /// <summary>The progress a run is showing on stderr, set while it goes; notes are written through it.</summary>
    public Commands.RunProgressPrinter? Progress
    {
        get => Volatile.Read(ref _progress);
        set => Volatile.Write(ref _progress, value);
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? title = null)
    {
        if (IsJson)
        {
            return;
        }

        // A cell is one line of printable text: stored text (a reason, an actor) cannot move the cursor or add a row.
        var materialised = rows.Select(r => (IReadOnlyList<string>)[.. r.Select(c => RecordedText.Escaped(c))]).ToList();
        if (_ansi is not null)
        {
            var table = new Table().Border(TableBorder.Rounded);
            if (title is not null)
            {
                table.Title(Markup.Escape(title));
            }

            foreach (var h in headers)
            {
                table.AddColumn(new TableColumn(Markup.Escape(h)));
            }

            foreach (var row in materialised)
            {
                table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
            }

            _ansi.Write(table);
            return;
        }

        if (title is not null)
        {
            _env.Stdout.WriteLine(title);
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, materialised.Count == 0 ? 0 : materialised.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        _env.Stdout.WriteLine(Row(headers, widths));
        _env.Stdout.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in materialised)
        {
            _env.Stdout.WriteLine(Row(row, widths));
        }
    }

    /// <summary>
    /// A unified diff, coloured on a terminal. Each line is escaped as <c>release show</c> escapes a file
    /// (<see cref="RecordedText.Escaped"/>): a change's bytes or file name cannot erase the line a reviewer must see.
    /// </summary>
    public void Diff(string diff)
    {
        if (IsJson)
        {
            return;
        }

        foreach (var raw in diff.TrimEnd('\n').Split('\n'))
        {
            var line = RecordedText.Escaped(raw, keepLineBreaks: true);
            if (_ansi is null)
            {
                _env.Stdout.WriteLine(line);
                continue;
            }

            var color = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold"
                : line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan" : "default";
            _ansi.MarkupLine($"[{color}]{Markup.Escape(line)}[/]");
        }
    }

    private static string Row(IReadOnlyList<string> cells, int[] widths)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : "";
            sb.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
        }

        return sb.ToString().TrimEnd();
    }
}
