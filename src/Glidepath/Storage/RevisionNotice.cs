namespace Glidepath.Storage;

/// <summary>What an <see cref="IRevisionWatch"/> reports: one environment changed, or (both null) re-read everything.</summary>
public readonly record struct RevisionNotice(string? App, string? Environment)
{
    /// <summary>The watch (re)connected: anything may have changed while it was not listening.</summary>
    public static RevisionNotice Resync { get; } = new(null, null);

    public bool IsResync => App is null;

    /// <summary>Whether a host serving <paramref name="app"/>/<paramref name="environment"/> must re-read its state.</summary>
    public bool Concerns(string app, string environment) =>
        IsResync || (string.Equals(App, app, StringComparison.Ordinal) && string.Equals(Environment, environment, StringComparison.Ordinal));
}
