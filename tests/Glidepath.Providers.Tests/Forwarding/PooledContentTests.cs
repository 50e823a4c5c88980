using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Providers.Tests.Forwarding;

public sealed class PooledContentTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(300, false)]
    [InlineData(150_000, false)] // past the first rent: the buffer grows
    public async Task BufferAsync_TheWholeBody_HeadersKept_OriginalContentDisposed(int size, bool withLength)
    {
        var body = Encoding.UTF8.GetBytes(new string('a', size) is var s && size > 0 ? "{" + s[1..^1] + "}" : "");
        var source = new Tracked(body);
        var original = new StreamContent(source);
        original.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (withLength)
        {
            original.Headers.ContentLength = body.Length;
        }

        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = original };

        await PooledContent.BufferAsync(response, CancellationToken.None);

        var pooled = Assert.IsType<PooledContent>(response.Content);
        Assert.Equal(body, pooled.Memory.ToArray());
        Assert.True(source.Disposed, "the original content (and with it the connection's stream) is released");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(Encoding.UTF8.GetString(body), await response.Content.ReadAsStringAsync());
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync()); // read again: the buffer stays until disposed
    }

    [Fact]
    public async Task Disposed_TheBufferIsGone_ReadingThrows()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        await PooledContent.BufferAsync(response, CancellationToken.None);
        var pooled = (PooledContent)response.Content;

        response.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pooled.Memory);
    }

    [Fact]
    public async Task BodyCutMidway_Throws_ContentNotReplaced()
    {
        var original = new StreamContent(new Cut("{\"id\":"u8.ToArray()));
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = original };

        await Assert.ThrowsAsync<IOException>(() => PooledContent.BufferAsync(response, CancellationToken.None));

        Assert.Same(original, response.Content);
    }

    private sealed class Tracked(byte[] bytes) : MemoryStream(bytes)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Gives its bytes, then fails as a connection cut mid-body does.</summary>
    private sealed class Cut(byte[] first) : MemoryStream(first)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("The response ended prematurely.");
    }
}
