using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Storage;

namespace Glidepath.Gateway.Admin;

/// <summary>What the admin API (<c>/admin/v1</c>) works on and whom it believes.</summary>
public sealed record AdminOptions
{
    /// <summary>The app whose environments the API reads and changes.</summary>
    public required Manifest Manifest { get; init; }

    /// <summary>The whole store (the serving core sees only parts of it); owned by the host, not disposed here.</summary>
    public required IGlidepathStore Store { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>OpenID Connect bearer tokens accepted besides Glidepath access tokens; null accepts access tokens only.</summary>
    public OidcOptions? Oidc { get; init; }

    /// <summary>
    /// Where <c>POST /environments/{env}/alerts/{id}/resend</c> posts a stored drift alert again. Null (the default): the
    /// webhook in this process's GLIDEPATH_ALERT_WEBHOOK, read at each resend, which the gateway's own drift check posts to
    /// too; without one a resend is refused (409) naming that variable.
    /// </summary>
    public Monitoring.IAlertNotifier? AlertNotifier { get; init; }

    /// <summary>Throws a <see cref="BadInputException"/> naming a setting the API cannot work with.</summary>
    public void Validate() => Oidc?.Validate();
}
