namespace Glidepath.Gateway.Admin.Requests;

/// <summary>
/// Resending a drift alert takes no field: <c>{}</c> or no body. Nothing records a reason for a resend (the alert records
/// the attempt and its outcome), so one sent would be dropped unread; it is refused like any field a request does not take.
/// </summary>
public sealed record AlertResendRequest;
