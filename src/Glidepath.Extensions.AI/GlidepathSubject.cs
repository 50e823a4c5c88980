namespace Glidepath.Extensions.AI;

/// <summary>
/// The ambient sticky routing subject of the current async flow, for apps that know the user where a request begins
/// (middleware) and not where the model is called. A subject in <see cref="GlidepathProperties.Subject"/> wins over it.
/// </summary>
/// <example><code>
/// app.Use(async (http, next) =&gt;
/// {
///     using (GlidepathSubject.Use(http.User.Identity?.Name ?? http.Request.Headers["Glidepath-Subject"]))
///     {
///         await next(http);
///     }
/// });
/// </code></example>
public static class GlidepathSubject
{
    private static readonly AsyncLocal<string?> CurrentSubject = new();

    /// <summary>The subject set by the innermost <see cref="Use"/> of this async flow, or null.</summary>
    public static string? Current => CurrentSubject.Value;

    /// <summary>Sets the subject for this async flow (and what it awaits or starts) until the returned scope is disposed.</summary>
    /// <param name="subject">A stable id of who the call is for (user, account, tenant); null or empty means none.</param>
    public static IDisposable Use(string? subject)
    {
        var previous = CurrentSubject.Value;
        CurrentSubject.Value = string.IsNullOrEmpty(subject) ? null : subject;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                CurrentSubject.Value = previous;
            }
        }
    }
}
