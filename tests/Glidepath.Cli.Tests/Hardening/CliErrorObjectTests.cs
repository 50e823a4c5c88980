using System.Text.Json;
using Glidepath.Cli;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>The <c>--format json</c> error object is written by hand, byte for byte as the serializer wrote it.</summary>
public sealed class CliErrorObjectTests
{
    public static TheoryData<string, int, string?> Errors() => new()
    {
        { "no such file", 2, null },
        { "quote \" backslash \\ line\nbreak \u0001 <b>&' naïve ✓ 😀", 3, null },
        { "Unrecognized command or argument 'runn' (did you mean 'run'?)", 2, "Run 'glidepath eval --help' for usage." },
        { "", 4, "" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ErrorObject_SameBytesAsTheSerializer(string error, int exitCode, string? usage)
    {
        object reference = usage is null ? new { error, exit_code = exitCode } : new { error, usage, exit_code = exitCode };

        Assert.Equal(JsonSerializer.Serialize(reference, CliOutput.JsonOptions), CliOutput.ErrorObject(error, exitCode, usage));
        Assert.Equal(JsonSerializer.Serialize(reference, new JsonSerializerOptions(CliOutput.JsonOptions) { WriteIndented = false }), CliOutput.ErrorObject(error, exitCode, usage, indented: false));
    }
}
