using Glidepath.Errors;

namespace Glidepath.Gateway;

/// <summary>The gateway's endpoint settings (the serving core has its own, <see cref="Glidepath.Serving.ServingOptions"/>).</summary>
public sealed record GatewayOptions
{
    /// <summary>Largest chat request body read; more is a 413 in the caller's format.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Throws a <see cref="BadInputException"/> naming a setting the gateway cannot work with.</summary>
    public void Validate()
    {
        if (MaxRequestBodyBytes < 1024)
        {
            throw new BadInputException($"gateway option {nameof(MaxRequestBodyBytes)} is {MaxRequestBodyBytes}; expected at least 1024 bytes");
        }
    }
}
