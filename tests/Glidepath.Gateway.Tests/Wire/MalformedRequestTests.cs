using System.Net;
using System.Text;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>Bodies that once crashed the gateway (500, empty body): each is now a 4xx in the caller's format, traced.</summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private const string Chat = "/v1/chat/completions";
    private const string Messages = "/v1/messages";
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _f.ShowRoutingHeaders(); // answers name their arm here: a refusal still must not
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    public static TheoryData<string, string, string> Shapes => new()
    {
        { Chat, GatewayFixture.Chat(extra: ""","seed":1.5"""), "'seed' must be an integer" },
        { Chat, GatewayFixture.Chat(extra: ""","seed":1e30"""), "'seed' must be an integer" },
        { Chat, GatewayFixture.Chat(extra: ""","max_tokens":2147483648"""), "'max_tokens' is 2147483648; expected an integer from 1 to 2147483647" },
        { Messages, GatewayFixture.Message().Replace("\"max_tokens\":100", "\"max_tokens\":1e12", StringComparison.Ordinal), "'max_tokens' is 1e12; expected an integer from 1 to 2147483647" },
        { Chat, GatewayFixture.Chat(extra: ""","max_tokens":1.5"""), "'max_tokens' must be an integer" },
        { Chat, GatewayFixture.Chat(extra: ""","tool_choice":{"type":"function","function":{"name":""}}"""), "'tool_choice.function.name' is required" },
        { Chat, OpenAiImage("""{"url":"data:image/png;base64,!!!not-base64"}"""), "not valid base64" },
        { Chat, OpenAiImage("""{"url":"data:garbage"}"""), "data URI" },
        { Chat, OpenAiImage("""{"url":"not a url at all"}"""), "absolute http(s) URL" },
        { Chat, OpenAiImage("""{"url":"data:text/html;base64,PGh0bWw+"}"""), "media type 'text/html'" },
        { Messages, GatewayFixture.Message(extra: ""","tool_choice":{"type":"tool"}"""), "'tool_choice.name' is required" },
        { Chat, GatewayFixture.Chat(extra: ""","tool_choice":"bogus" """), "'tool_choice' must be \"none\", \"auto\", \"required\"" },
        { Chat, GatewayFixture.Chat(extra: ""","tool_choice":5"""), "'tool_choice' must be" },
        { Chat, GatewayFixture.Chat(extra: ""","tool_choice":{"type":"function"}"""), "'tool_choice' must be" },
        { Chat, GatewayFixture.Chat(extra: ""","tool_choice":{"type":"custom","function":{"name":"x"}}"""), "'tool_choice' must be" },
        { Messages, GatewayFixture.Message(extra: ""","tool_choice":{"type":"bogus"}"""), "'tool_choice' must be an object whose 'type' is" },
        { Messages, GatewayFixture.Message(extra: ""","tool_choice":"auto" """), "'tool_choice' must be an object" },
        { Messages, GatewayFixture.Message(extra: ""","tool_choice":{}"""), "'tool_choice' must be an object" },
        { Messages, AnthropicImage("""{"type":"base64","media_type":"image/png","data":"%%%"}"""), "not valid base64" },
        { Messages, AnthropicImage("""{"type":"base64","media_type":"nonsense","data":"iVBORw0KGgo="}"""), "media type 'nonsense'" },
        { Messages, AnthropicImage("""{"type":"url","url":"relative/path.png"}"""), "absolute http(s) URL" },
        { Messages, AnthropicImage("""{"type":"url"}"""), "absolute http(s) URL" },
        { Chat, GatewayFixture.Chat(extra: ""","stop":[1,2]"""), "'stop[0]' must be a string" },
        { Messages, GatewayFixture.Message(extra: ""","stop_sequences":[{}]"""), "'stop_sequences[0]' must be a string" },
        { Chat, GatewayFixture.Chat(extra: ""","temperature":1e300"""), "'temperature' is" },
        { Chat, GatewayFixture.Chat(text: "\\ud800"), "not valid Unicode" },
        { Messages, """{"model":"support-agent","max_tokens":5,"system":[1],"messages":[{"role":"user","content":"hi"}]}""", "'system[]' must be an object" },
        { Chat, GatewayFixture.Chat(extra: ""","tools":[7]"""), "'tools[0]' must be an object" },
        { Chat, GatewayFixture.Chat(extra: ""","tools":{}"""), "'tools' must be an array" },
        { Messages, GatewayFixture.Message(extra: ""","tools":"lookup_order" """), "'tools' must be an array" },
        { Messages, GatewayFixture.Message(extra: ""","stop_sequences":"END" """), "'stop_sequences' must be an array of strings" },
        { Chat, GatewayFixture.Chat(extra: ""","x_extra":"lone \udc00" """), "not valid Unicode at byte" },
        { Messages, GatewayFixture.Message(extra: ""","metadata":{"user_id":"u","\ud800":1}"""), "not valid Unicode at byte" },
        { Chat, GatewayFixture.Chat(extra: ""","functions":[{"name":"lookup_order","parameters":{"type":"object"}}]"""), "'functions' (OpenAI's deprecated form) is not accepted by the gateway; declare the functions in 'tools'" },
        { Chat, GatewayFixture.Chat(extra: ""","function_call":{"name":"lookup_order"}"""), "'function_call' (OpenAI's deprecated form) is not accepted by the gateway; send 'tool_choice' instead" },
        { Chat, GatewayFixture.Chat(extra: ""","n":2.0"""), "'n' is 2.0; the gateway answers one choice per request, so 'n' can only be 1" },
        { Chat, GatewayFixture.Chat(extra: ""","n":2"""), "'n' is 2; the gateway answers one choice per request, so 'n' can only be 1" },
        { Chat, GatewayFixture.Chat(extra: ""","n":"1" """), "'n' must be the integer 1" },
    };

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    public async Task Post_BytesNotUtf8InAFieldTheGatewayDoesNotRead_400InCallersFormat(string path)
    {
        var body = path == Chat ? GatewayFixture.Chat(extra: ""","x_extra":"caf?" """) : GatewayFixture.Message(extra: ""","metadata":{"user_id":"u","note":"caf?"}""");
        var bytes = Encoding.UTF8.GetBytes(body);
        var at = Array.LastIndexOf(bytes, (byte)'?');
        bytes[at] = 0xE9; // Latin-1 é: not UTF-8
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"not valid Unicode at byte {at}", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Post_MalformedBody_400InCallersFormatAndTracedAsBadRequest(string path, string body, string expected)
    {
        using var response = await _f.PostAsync(path, body, r => r.Headers.Add("Glidepath-Subject", "mallory"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Glidepath-Arm"), "a refusal must not tell the caller its arm");
        var trace = await WireAssert.TraceAsync(_f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "bad_request", false), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    [Theory]
    [InlineData("""{"type":"web_search_20250305","name":"web_search","max_uses":5}""")]
    [InlineData("""{"type":"code_execution_20250522","name":"code_execution"}""")]
    public async Task Post_AnthropicServerTool_400NothingSent(string tool)
    {
        using var response = await _f.PostAsync(Messages, GatewayFixture.Message(extra: $",\"tools\":[{tool}]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("server tool", WireAssert.ErrorMessage(Messages, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    [Theory]
    [InlineData(Chat, """{"type":"function","function":{"name":"lookup"}},{"type":"function","function":{"name":"lookup"}}""")]
    [InlineData(Messages, """{"name":"lookup","input_schema":{"type":"object"}},{"name":"lookup","input_schema":{"type":"object"}}""")]
    public async Task Post_DuplicateCallerToolNames_400TracedAsClientErrorNotProviderError(string path, string tools)
    {
        var body = path == Chat ? GatewayFixture.Chat(extra: $",\"tools\":[{tools}]") : GatewayFixture.Message(extra: $",\"tools\":[{tools}]");

        using var response = await _f.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'lookup', which an earlier tool already declares", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(_f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal("bad_request", trace.Error);
        Assert.False(trace.IsError);
    }

    [Theory]
    [InlineData(Chat, "text/plain")]
    [InlineData(Messages, "text/plain")]
    [InlineData(Chat, "application/x-www-form-urlencoded")]
    [InlineData(Messages, "multipart/form-data; boundary=x")]
    [InlineData(Chat, "application/json; charset=utf-16")]
    [InlineData(Messages, "application/json; charset=\"latin1\"")]
    public async Task Post_NonJsonContentType_415InCallersFormat(string path, string contentType)
    {
        using var response = await PostWithContentTypeAsync(path, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    // A charset may be a quoted string (RFC 9110 §5.6.6): "UTF-8" in quotes is UTF-8.
    [Theory]
    [InlineData(Chat, "application/json; charset=\"UTF-8\"")]
    [InlineData(Messages, "application/json;charset=\"utf-8\"")]
    [InlineData(Chat, "application/json; charset=UTF-8")]
    public async Task Post_JsonWithUtf8Charset_QuotedOrNot_Served(string path, string contentType)
    {
        using var response = await PostWithContentTypeAsync(path, contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The path's sample body with exactly this Content-Type header.</summary>
    private async Task<HttpResponseMessage> PostWithContentTypeAsync(string path, string contentType)
    {
        var body = path == Chat ? GatewayFixture.Chat() : GatewayFixture.Message();
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await _f.Http.SendAsync(request);
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    public async Task Post_HeadersOverLimit_431InCallersFormat(string path)
    {
        var body = path == Chat ? GatewayFixture.Chat() : GatewayFixture.Message();

        using var response = await _f.PostAsync(path, body, r =>
        {
            for (var i = 0; i < 5; i++)
            {
                r.Headers.Add($"X-Padding-{i}", new string('p', 8000));
            }
        });

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Contains("at most 32 KiB", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    public async Task Post_TooManyHeaders_431InCallersFormat(string path)
    {
        var body = path == Chat ? GatewayFixture.Chat() : GatewayFixture.Message();

        using var response = await _f.PostAsync(path, body, r =>
        {
            for (var i = 0; i < 150; i++)
            {
                r.Headers.Add($"X-H{i}", "v");
            }
        });

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Contains("at most 100", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private static string OpenAiImage(string imageUrl) =>
        $$"""{"model":"support-agent","messages":[{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{{imageUrl}}}]}]}""";

    private static string AnthropicImage(string source) =>
        $$"""{"model":"support-agent","max_tokens":50,"messages":[{"role":"user","content":[{"type":"image","source":{{source}}}]}]}""";
}
