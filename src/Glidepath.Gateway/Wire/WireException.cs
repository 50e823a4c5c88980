using Glidepath.Serving.Chat;

namespace Glidepath.Gateway.Wire;

/// <summary>A request the gateway refuses, with the HTTP status and a message for the caller.</summary>
/// <param name="Kind">The error class in the caller's format, e.g. invalid_request_error, not_found_error.</param>
internal sealed class WireException(int status, string kind, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Kind { get; } = kind;

    public static WireException BadRequest(string message) => new(400, ErrorKinds.InvalidRequest, message);
}
