using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Views;

namespace Glidepath.Cli.Remote;

/// <summary>
/// The CLI as a client of a gateway's admin API (<c>--server URL</c> with <c>--token</c> or <c>GLIDEPATH_TOKEN</c>): each
/// answer is the JSON the command prints under <c>--format json</c>; an error answer becomes the exception of its exit
/// code, so the CLI reports it as if the store had refused. The token is sent, never printed; the server's address is
/// printed without a user part or query (<see cref="ShownUrl"/>). A redirect is not followed: it would send the request
/// and its body again to wherever <c>Location</c> points.
/// </summary>
internal sealed class RemoteAdmin : IDisposable
{
    public const string ServerVariable = "GLIDEPATH_SERVER";
    public const string TokenVariable = "GLIDEPATH_TOKEN";

    private const string AdminPrefix = "/admin/v1";

    private readonly HttpClient _http;

    private RemoteAdmin(Uri server, string token)
    {
        Server = server;
        Shown = ShownUrl.Of(server);
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Add(Glidepath.Gateway.AdminEndpointRouteBuilderExtensions.ClientHeader, Glidepath.Gateway.AdminEndpointRouteBuilderExtensions.CliClient);
    }

    public Uri Server { get; }

    /// <summary>The server's address as messages print it: without a user part or query.</summary>
    public string Shown { get; }

    /// <summary>The client named by <c>--server</c> (or <c>GLIDEPATH_SERVER</c>), or null for local mode.</summary>
    public static RemoteAdmin? From(string? server, string? token)
    {
        if (ServerOf(server) is not { } uri)
        {
            return null;
        }

        token ??= Environment.GetEnvironmentVariable(TokenVariable);
        return string.IsNullOrWhiteSpace(token)
            ? throw new BadInputException($"--server needs a token: set {TokenVariable} (or --token) to an access token from 'glidepath tokens create' or an OIDC token")
            : new RemoteAdmin(uri, token.Trim());
    }

    /// <summary>
    /// The server named by <c>--server</c> (or <c>GLIDEPATH_SERVER</c>), without asking for a token: null for local mode.
    /// A command that cannot use a server says so before anything asks for a token (newcomer trial L2).
    /// </summary>
    public static Uri? ServerOf(string? server)
    {
        server ??= Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        // 'serve' prints "Admin API on http://host:port/admin/v1": that URL is the server too (requests add the prefix).
        var trimmed = server.Trim().TrimEnd('/');
        trimmed = trimmed.EndsWith(AdminPrefix, StringComparison.OrdinalIgnoreCase) ? trimmed[..^AdminPrefix.Length] : trimmed;
        return Uri.TryCreate(trimmed + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new BadInputException($"--server '{ShownUrl.Of(server)}' is not an http(s) URL; expected e.g. https://glidepath.internal:4001");
    }

    /// <summary>GETs <paramref name="path"/> (under <c>admin/v1/</c>), returning the answer's JSON text.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>POSTs <paramref name="body"/> as the views' JSON to <paramref name="path"/>, returning the answer's JSON text.</summary>
    public Task<string> PostAsync(string path, object body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    private async Task<string> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "admin/v1/" + path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), ViewJson.Options), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new OperationalException($"cannot reach the admin API at {Shown}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OperationalException($"the admin API at {Shown} did not answer within {_http.Timeout.TotalSeconds:0} s", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new BadInputException($"{Shown} answered {(int)response.StatusCode}, a redirect to {(response.Headers.Location is { } to ? ShownUrl.Of(to) : "no Location")}; redirects are not followed (the request would go again, body and all, wherever it points): give --server the admin API's own address");
            }

            throw Failure((int)response.StatusCode, text);
        }
    }

    private GlidepathException Failure(int status, string text)
    {
        string? message = null;
        var exit = 0;
        try
        {
            using var doc = JsonDocument.Parse(text);
            message = doc.RootElement.GetProperty("error").GetString();
            exit = doc.RootElement.GetProperty("exit_code").GetInt32();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }

        // The server's later lines are indented: its text cannot print a line that reads as the CLI's own (trial attacker2).
        message = $"{Shown} answered {status}: {(message ?? "(no error message)").Replace("\n", "\n  ", StringComparison.Ordinal)}";
        return exit switch
        {
            2 => new BadInputException(message),
            4 => new PolicyException(message),
            _ when status == 404 => new BadInputException(message + " (is this a Glidepath gateway with the admin API on this address?)"),
            _ => new OperationalException(message),
        };
    }

    public void Dispose() => _http.Dispose();
}
