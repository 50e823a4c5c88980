namespace Glidepath.Dashboard.Tests.Support;

/// <summary>What a <see cref="TcpRelay"/> does with the bytes.</summary>
internal enum RelayMode
{
    /// <summary>Forwards every byte as it comes.</summary>
    Forward,

    /// <summary>Keeps every connection open and forwards nothing, until the next switch.</summary>
    Hold,

    /// <summary>Closes every connection, and each new one at once.</summary>
    Drop,

    /// <summary>Closes every connection, and answers each new request with a 503.</summary>
    Answer503,
}
