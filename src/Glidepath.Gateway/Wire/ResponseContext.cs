namespace Glidepath.Gateway.Wire;

/// <summary>Identity of the response being written: ids and the model name shown to the caller.</summary>
internal sealed record ResponseContext(string ResponseId, string Model, long CreatedUnixSeconds);
