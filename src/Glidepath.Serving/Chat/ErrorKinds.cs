namespace Glidepath.Serving.Chat;

/// <summary>Error classes shared by both wire formats (each format spells them its own way when written).</summary>
public static class ErrorKinds
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Permission = "permission_error";
    public const string Authentication = "authentication_error";
    public const string NotFound = "not_found_error";
    public const string TooLarge = "request_too_large";
    public const string RateLimited = "rate_limit_error";
    public const string Overloaded = "overloaded_error";
    public const string Timeout = "timeout_error";
    public const string Api = "api_error";
    public const string Unavailable = "service_unavailable";

    /// <summary>The error class for an HTTP status, for provider errors without a finer one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 or 422 => InvalidRequest,
        401 => Authentication,
        403 => Permission,
        404 => NotFound,
        413 => TooLarge,
        429 => RateLimited,
        503 => Unavailable,
        504 => Timeout,
        _ => Api,
    };
}
