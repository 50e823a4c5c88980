namespace Glidepath.Providers.Sim;

/// <summary>One instruction line of the rendered system prompt: "Label: body", with its match tokens.</summary>
internal sealed record SimPolicyLine(int Index, string? Label, string Body, IReadOnlyList<string> Tokens)
{
    /// <summary>A line about how to write (tone, style, format) rather than what to say.</summary>
    public bool IsStyle { get; init; }
}
