using System.Net;
using System.Reflection;
using Glidepath.Gateway.Wire;

namespace Glidepath.Gateway.Forwarding;

/// <summary>Turns a provider failure into the status, error class and message the caller gets.</summary>
internal static class ProviderErrors
{
    public static (int Status, string Kind, string Message, string TraceError) Map(Exception ex)
    {
        var status = StatusOf(ex);
        if (ex is TimeoutException or TaskCanceledException || status == 504 || status == 408)
        {
            return (504, ErrorKinds.Timeout, "the model provider did not answer in time", "timeout");
        }

        return status switch
        {
            429 => (429, ErrorKinds.RateLimited, $"the model provider is rate limiting: {ex.Message}", "rate_limited"),
            400 or 413 or 422 => (400, ErrorKinds.InvalidRequest, $"the model provider rejected the request: {ex.Message}", "provider_rejected"),
            529 or 503 => (503, ErrorKinds.Overloaded, $"the model provider is overloaded: {ex.Message}", "provider_overloaded"),
            _ => (502, ErrorKinds.Api, $"the model provider failed: {ex.Message}", "provider_error"),
        };
    }

    /// <summary>The provider's HTTP status when the exception carries one (HttpRequestException, SDK exceptions with StatusCode/Status).</summary>
    private static int? StatusOf(Exception ex)
    {
        if (ex is HttpRequestException { StatusCode: { } code })
        {
            return (int)code;
        }

        // Provider SDKs and our own provider exception expose the status under one of these names.
        foreach (var name in (string[])["StatusCode", "Status"])
        {
            var value = ex.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(ex);
            switch (value)
            {
                case int i when i > 0:
                    return i;
                case HttpStatusCode h:
                    return (int)h;
            }
        }

        return ex.InnerException is { } inner ? StatusOf(inner) : null;
    }
}
