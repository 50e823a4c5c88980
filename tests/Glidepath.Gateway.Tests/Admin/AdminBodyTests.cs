using Glidepath.Errors;
using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Glidepath.Gateway.Tests.Admin;

/// <summary>
/// A body without Content-Length (chunked) is read no further than one read past the admin limit: the admin API answers
/// its own JSON error, and the server's 4 MiB limit (a 413 without a body) is never reached by reading.
/// </summary>
public sealed class AdminBodyTests
{
    [Fact]
    public async Task ReadAsync_ChunkedBodyOfFiveMiB_RefusedAfterReadingJustPastTheLimit()
    {
        var body = new CountingStream(new MemoryStream(new byte[5 * 1024 * 1024]));
        var http = new DefaultHttpContext();
        http.Request.Body = body;
        http.Features.Set<IHttpRequestBodyDetectionFeature>(new Chunked());

        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<object>(http));

        Assert.Equal($"the request body is over {AdminBody.MaxBytes} bytes", ex.Message);
        Assert.InRange(body.BytesRead, AdminBody.MaxBytes + 1, AdminBody.MaxBytes + (16 * 1024));
    }

    [Fact]
    public async Task ReadAsync_AKeyGivenTwice_RefusedNamingIt()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("""{"reason":"a","reason":"b"}""");
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;

        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<ReasonBody>(http));

        Assert.Equal("the request body gives a key twice in one object (Duplicate property 'reason'); send each key once", ex.Message);
    }

    // A misspelt guard or a camelCase name (a client generated from web defaults) was ignored: a rollback without its
    // expected_revision, a key without its budget.
    [Theory]
    [InlineData("""{"reason":"x","expected_revison":3}""", "the field 'expected_revison'")]
    [InlineData("""{"reason":"x","expectedRevision":3}""", "the field 'expectedRevision'")]
    [InlineData("""{"Reason":"x","bogus":1,"bogus":2}""", "the fields 'Reason', 'bogus'")]
    public async Task ReadAsync_AFieldTheRequestDoesNotTake_RefusedNamingItAndTheFieldsItTakes(string json, string named)
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<GuardedBody>(Body(json)));

        Assert.Equal($"this request does not take {named}; it takes 'reason', 'expected_revision' (snake_case, as spelt here); nothing was done", ex.Message);
    }

    [Fact]
    public async Task ReadAsync_ManyFieldsItDoesNotTake_NamesFiveAndSaysThereAreOthers()
    {
        var json = "{" + string.Join(",", Enumerable.Range(1, 2000).Select(i => $"\"made_up_{i}\":{i}")) + "}";

        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<GuardedBody>(Body(json)));

        Assert.StartsWith("this request does not take the fields 'made_up_1', 'made_up_2', 'made_up_3', 'made_up_4', 'made_up_5' and others; it takes", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} characters");
    }

    [Theory]
    [InlineData("""{"reason":"x","expected_revision":3}""", "x", 3L)]
    [InlineData("""{}""", null, null)]
    [InlineData("""null""", null, null)]
    public async Task ReadAsync_OnlyFieldsItTakes_Read(string json, string? reason, long? revision)
    {
        var body = await AdminBody.ReadAsync<GuardedBody>(Body(json));

        Assert.Equal((reason, revision), (body.Reason, body.ExpectedRevision));
    }

    [Fact]
    public async Task ReadAsync_NotAnObject_TheShapeIsWhatIsWrong()
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<GuardedBody>(Body("""["reason"]""")));

        Assert.DoesNotContain("does not take", ex.Message, StringComparison.Ordinal);
    }

    // An outside trial: bytes that are not UTF-8 were a 500 from the type error's wording, an unpaired surrogate escape in
    // a field name a 500 from the unknown-field check, and one in a value "'reason' must be a string, got a string".
    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'r', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}' }, "the request body is not valid UTF-8 (at byte offset 6)")]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'r', (byte)'"', (byte)':', 0xC3 }, "the request body is not valid UTF-8 (at byte offset 5)")]
    public async Task ReadAsync_BytesThatAreNotUtf8_RefusedAsNotUtf8(byte[] bytes, string expected)
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<GuardedBody>(Body(bytes)));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing was done", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"x\ud800":"x"}""", 3)]
    [InlineData("""{"reason":"x\ud800"}""", 12)]
    [InlineData("""{"reason":"\udc00\ud800"}""", 11)]
    [InlineData("""{"reason":"x","expected_revision":[{"a":"\ud800z"}]}""", 41)]
    public async Task ReadAsync_AnUnpairedSurrogateEscape_RefusedAsNotValidUnicode(string json, int offset)
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => AdminBody.ReadAsync<GuardedBody>(Body(json)));

        Assert.Equal($"the request body is not valid Unicode: the escape at byte offset {offset} is half of a surrogate pair (such as \\ud800) without its other half; send whole characters; nothing was done", ex.Message);
    }

    // RFC 8259 lets a parser ignore a UTF-8 byte-order mark, which PowerShell and some .NET writers put first: it was a 400.
    [Fact]
    public async Task ReadAsync_BodyStartingWithAByteOrderMark_ReadAsWithoutIt()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("""{"reason":"x","expected_revision":3}""")];

        var body = await AdminBody.ReadAsync<GuardedBody>(Body(bytes));

        Assert.Equal(("x", 3L), (body.Reason, body.ExpectedRevision));
    }

    [Fact]
    public async Task ReadAsync_AWholeSurrogatePairAndAnEscapedBackslash_Read()
    {
        var body = await AdminBody.ReadAsync<GuardedBody>(Body("""{"reason":"\ud83d\ude00 \\ud800"}"""));

        Assert.Equal("\U0001F600 \\ud800", body.Reason);
    }

    private static DefaultHttpContext Body(string json) => Body(System.Text.Encoding.UTF8.GetBytes(json));

    private static DefaultHttpContext Body(byte[] bytes)
    {
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;
        return http;
    }

    private sealed class ReasonBody
    {
        public string? Reason { get; init; }
    }

    private sealed class GuardedBody
    {
        public string? Reason { get; init; }

        public long? ExpectedRevision { get; init; }
    }

    private sealed class Chunked : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
