using Glidepath.Errors;
using System.Text;
using Glidepath.Manifests;

namespace Glidepath.Tests.Manifests;

/// <summary>Issue 13: inputs that crashed the parser or exhausted memory, time or the stack are now exit 2 with file:line:col.</summary>
public sealed class ManifestLimitsTests : IDisposable
{
    private readonly TempDir _dir = TempDir.WithSample();

    private string Sample => _dir.Read("glidepath.yaml");

    private ManifestException Reject(string yaml)
    {
        _dir.Write("glidepath.yaml", yaml);
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(_dir.File("glidepath.yaml")));
        Assert.Equal(FailureKind.BadInput, ex.Kind);
        return ex;
    }

    private string WithOptions(string options) =>
        Sample.Replace("parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }", "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: " + options, StringComparison.Ordinal);

    [Fact]
    public void Load_DeviceThatNeverEnds_IsOverTheLimitAfterReadingOnlyThat()
    {
        // /dev/zero reports a size of 0 and yields without end: the read is what must be bounded, not the size check.
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load("/dev/zero"));

        Assert.Equal(FailureKind.BadInput, ex.Kind);
        Assert.Contains("larger than 1024 KiB", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_NamedPipeThatNoProcessWrites_IsAnErrorNotAWaitForEver()
    {
        // open(2) of a FIFO waits for a writer; a manifest (or prompt file) that is one must not hang the command.
        File.Delete(_dir.File("glidepath.yaml"));
        var fifo = _dir.Fifo("glidepath.yaml");

        // A regression blocks in open(2) for ever: the bound turns that into a failure, it is not a timing the test needs.
        var ex = await Assert.ThrowsAsync<ManifestException>(() => Task.Run(() => ManifestParser.Load(fifo)).WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal(FailureKind.BadInput, ex.Kind);
    }

    [Fact]
    public async Task ReadAllBytes_NamedPipeWithNoWriter_ReadsAsEmpty_AndARegularFileAsItIs()
    {
        var fifo = _dir.Fifo("pipe");
        _dir.Write("plain.txt", "hello");

        var fromPipe = await Task.Run(() => Glidepath.Files.BoundedFile.ReadAllBytes(fifo, 1024)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal([], Assert.IsType<byte[]>(fromPipe));
        Assert.Equal("hello"u8.ToArray(), Glidepath.Files.BoundedFile.ReadAllBytes(_dir.File("plain.txt"), 1024)!);
        Assert.Null(Glidepath.Files.BoundedFile.ReadAllBytes(_dir.File("plain.txt"), 4));
    }

    [Fact]
    public void ReadAllText_DecodesAsFileReadAllTextDoes_Utf16WithItsByteOrderMark()
    {
        File.WriteAllText(_dir.File("key.json"), "{\"keys\":[]} é", new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        File.WriteAllText(_dir.File("bom8.txt"), "é", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(File.ReadAllText(_dir.File("key.json")), Glidepath.Files.BoundedFile.ReadAllText(_dir.File("key.json"), 1024));
        Assert.Equal("é", Glidepath.Files.BoundedFile.ReadAllText(_dir.File("bom8.txt"), 1024));
        Assert.False(Glidepath.Files.BoundedFile.IsStream(_dir.File("bom8.txt")));
        Assert.True(Glidepath.Files.BoundedFile.IsStream(_dir.Fifo("pipe2")));
    }

    [Fact]
    public void Load_HugeDuration_ReportsNotADurationInsteadOfOverflow()
    {
        var ex = Reject(Sample.Replace("max_duration: 30m", "max_duration: 99999999999999d", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Message.Contains("max_duration '99999999999999d' is not a duration", StringComparison.Ordinal) && e.Line > 0);
    }

    [Theory]
    [InlineData("providers:                        # connection settings are not part of a release\n", "providers:\n  ? { a: 1 }\n  : { base_url: https://x }\n")]
    [InlineData("prices:                           # USD per million tokens\n", "prices:\n  ? [a, b]\n  : { input: 1, output: 2 }\n")]
    [InlineData("environments:\n", "environments:\n  ? { a: 1 }\n  : { owner: x }\n")]
    [InlineData("    vars: { customer_tier: standard }\n", "    vars:\n      ? [k]\n      : v\n")]
    public void Load_NonScalarKey_ReportsTheKeyInsteadOfInvalidCast(string old, string replacement)
    {
        Assert.Contains(old, Sample, StringComparison.Ordinal);
        var ex = Reject(Sample.Replace(old, replacement, StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Message.Contains("a key in", StringComparison.Ordinal) && e.Message.Contains("expected", StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void Load_NonScalarKeyInModelOptions_ReportedWithLine()
    {
        var ex = Reject(WithOptions("{ [a]: 1, b: { {c: 1}: 2 } }"));
        Assert.Equal(2, ex.Errors.Count(e => e.Message.Contains("a key in release.model.options", StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_ThousandDeepOptions_RejectedAsTooDeep()
    {
        var ex = Reject(WithOptions("{ x: " + new string('[', 1000) + new string(']', 1000) + " }"));
        Assert.Contains(ex.Errors, e => e.Message.Contains($"nesting is deeper than {ManifestLimits.MaxDepth} levels", StringComparison.Ordinal) && e.Line == 10);
    }

    [Fact]
    public void Load_FortyThousandDeepFlowSequence_RejectedAtTheFirstLevelTooDeep()
    {
        var ex = Reject(Sample + "\nextra: " + new string('[', 40_000) + new string(']', 40_000) + "\n");
        var error = Assert.Single(ex.Errors);
        Assert.Contains("nesting is deeper", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Column, ManifestLimits.MaxDepth, ManifestLimits.MaxDepth + 10); // it stopped at the first level too deep
    }

    [Fact]
    public void Load_AliasBomb_RejectedBeforeExpansion()
    {
        var bomb = new StringBuilder("\n    options:\n      a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            bomb.Append("      a").Append(i).Append(": &a").Append(i).Append(" [")
                .Append(string.Join(", ", Enumerable.Repeat("*a" + (i - 1), 9))).Append("]\n");
        }

        var yaml = Sample.Replace("parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }", "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }" + bomb.ToString().TrimEnd('\n'), StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(bomb.ToString()) < 2_600);

        var ex = Reject(yaml);
        Assert.Contains(ex.Errors, e => e.Message.Contains("aliases counted expanded", StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void Load_RecursiveAlias_Rejected()
    {
        var ex = Reject(WithOptions("&loop { x: *loop }"));
        Assert.Contains(ex.Errors, e => e.Message.Contains("alias *loop refers to a node that contains it", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ModestAliasUse_StillParses()
    {
        _dir.Write("glidepath.yaml", Sample.Replace("prices:", "prices:\n  other: &p { input: 1, output: 2 }\n  other2: *p", StringComparison.Ordinal));
        var m = ManifestParser.Load(_dir.File("glidepath.yaml"));
        Assert.Equal(3, m.Prices.Count);
    }

    [Fact]
    public void Load_OverSizeLimit_RejectedWithoutParsing()
    {
        var ex = Reject(Sample + "\n# " + new string('x', ManifestLimits.MaxBytes) + "\n");
        Assert.Contains(ex.Errors, e => e.Message.Contains("larger than 1024 KiB", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_LineHoldingOnlyColon_BadInputNotArgumentException()
    {
        // Found by the property suite (ManifestPropertyTests): YamlDotNet's loader threw ArgumentException.
        var ex = Reject(Sample.Replace("\neval:", "\n:\neval:", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Message.Contains("expected valid YAML", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
