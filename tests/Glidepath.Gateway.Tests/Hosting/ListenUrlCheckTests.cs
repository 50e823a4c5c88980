using Glidepath.Errors;
using Glidepath.Gateway.Hosting;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary><see cref="GlidepathHost.CheckUrls"/>: the forms Kestrel listens on pass; others are one line of bad input.</summary>
public sealed class ListenUrlCheckTests
{
    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:4000")]
    [InlineData("http://*:4000")]
    [InlineData("http://+:4000/")]
    [InlineData("https://[::1]:4443")]
    [InlineData("HTTP://0.0.0.0:65535")]
    [InlineData("http://gateway.internal")]
    [InlineData("http://unix:/run/glidepath.sock")]
    public void CheckUrls_FormsKestrelTakes_Accepted(string url) => GlidepathHost.CheckUrls([url]);

    [Fact]
    public void CheckUrls_BarePort_OnlyWithSeparateListeners()
    {
        GlidepathHost.CheckUrls(["4000"], barePorts: true);
        Assert.Throws<BadInputException>(() => GlidepathHost.CheckUrls(["4000"]));
    }

    [Theory]
    [InlineData("notaurl")]
    [InlineData("127.0.0.1:4000")]
    [InlineData("tcp://127.0.0.1:4000")]
    [InlineData("http://127.0.0.1:65536")]
    [InlineData("http://127.0.0.1:-1")]
    [InlineData("http://127.0.0.1:4000/path")]
    [InlineData("http://bad host:4000")]
    [InlineData("http://")]
    public void CheckUrls_OtherForms_BadInputNamingTheUrl(string url)
    {
        var ex = Assert.Throws<BadInputException>(() => GlidepathHost.CheckUrls(["http://127.0.0.1:4000", url]));

        Assert.StartsWith($"listen URL '{url}' ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("expected http://HOST:PORT, e.g. http://127.0.0.1:4000 (port 0 picks a free port)", ex.Message, StringComparison.Ordinal);
    }
}
