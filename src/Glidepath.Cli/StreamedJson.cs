using System.Text.Json;

namespace Glidepath.Cli;

/// <summary>
/// One JSON document written to stdout as it is made, in the CLI's JSON style (<see cref="CliOutput.JsonOptions"/>):
/// for a list of any length read from the store one item at a time, so the output is never held whole.
/// </summary>
internal sealed class StreamedJson : IDisposable
{
    private const int FlushBytes = 16 * 1024;

    private readonly TextWriter _out;
    private readonly Utf8JsonWriter _writer;

    public StreamedJson(TextWriter output)
    {
        _out = output;
        _writer = new Utf8JsonWriter(new TextWriterStream(output), Views.ViewJson.Writer());
    }

    public Utf8JsonWriter Writer => _writer;

    /// <summary>Writes <c>"name": value</c> as <see cref="CliOutput.Json"/> would write the value.</summary>
    public void Property(string name, object? value)
    {
        _writer.WritePropertyName(name);
        Value(value);
    }

    /// <summary>Writes one value (an array's next item, say) and passes the text on once enough has gathered.</summary>
    public void Value(object? value)
    {
        JsonSerializer.Serialize(_writer, value, CliOutput.JsonOptions);
        FlushIfFull();
    }

    /// <summary>Passes the text on once enough has gathered: call it after each item written straight to <see cref="Writer"/>.</summary>
    public void FlushIfFull()
    {
        if (_writer.BytesPending >= FlushBytes)
        {
            _writer.Flush();
        }
    }

    /// <summary>Writes what is left and ends the line, as <see cref="CliOutput.Json"/> does.</summary>
    public void Dispose()
    {
        _writer.Flush();
        _out.WriteLine();
        _writer.Dispose();
    }
}
