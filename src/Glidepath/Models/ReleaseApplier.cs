using System.Diagnostics.CodeAnalysis;
using Glidepath.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>
/// Applies one release to conversations, the same way for evals, <c>glidepath model</c> and serving: its rendered
/// system prompt goes first, its model and sampling parameters override the caller's, its tools come first (a
/// caller's tool of the same name is dropped). Tool declarations are built once; every call gets fresh options.
/// </summary>
public sealed class ReleaseApplier
{
    private readonly AITool[] _tools;
    private readonly IList<AITool> _toolsReadOnly;

    public ReleaseApplier(ReleaseSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        _tools = [.. snapshot.Tools.Select(t => (AITool)ReleaseConversation.ToAITool(t))];
        _toolsReadOnly = Array.AsReadOnly(_tools);
    }

    public ReleaseSnapshot Snapshot { get; }

    /// <summary>
    /// The release's sampling parameters. The rule, for this class and for the gateway's pass-through body patch alike:
    /// a parameter the release sets wins over the caller's; one it leaves unset keeps the caller's.
    /// </summary>
    public Glidepath.Manifests.ModelParameters Parameters => Snapshot.Model.Parameters;

    /// <summary>The release's tools as declarations the model may call.</summary>
    public IReadOnlyList<AITool> Tools => _tools;

    /// <summary>The system prompt rendered with <paramref name="vars"/>; a variable left unset is a <see cref="Errors.BadInputException"/> naming it.</summary>
    public string RenderSystemPrompt(IReadOnlyDictionary<string, string> vars) =>
        PromptTemplate.Render(Snapshot.SystemPrompt, vars, Snapshot.SystemPromptPath);

    /// <summary>The system prompt rendered with <paramref name="vars"/>, or false with the error naming a variable left unset.</summary>
    public bool TryRenderSystemPrompt(IReadOnlyDictionary<string, string> vars, [NotNullWhen(true)] out string? prompt, [NotNullWhen(false)] out string? error) =>
        PromptTemplate.TryRender(Snapshot.SystemPrompt, vars, Snapshot.SystemPromptPath, out prompt, out error);

    /// <summary>The messages to send (the rendered <paramref name="systemPrompt"/>, then <paramref name="messages"/>) and fresh
    /// options. When the caller brought no tools, the options' tools are the release's own read-only list, shared by every
    /// call (a client that adds tools must copy it).</summary>
    /// <param name="caller">What the caller asked for (sampling, stop, tools, tool mode); it fills only what the release leaves unset.</param>
    public (List<ChatMessage> Messages, ChatOptions Options) Apply(string systemPrompt, IReadOnlyCollection<ChatMessage> messages, ChatOptions? caller = null) =>
        Apply(new ChatMessage(ChatRole.System, systemPrompt), messages, caller);

    /// <summary>As <see cref="Apply(string, IReadOnlyCollection{ChatMessage}, ChatOptions?)"/> with the system message
    /// already built (a server reuses one per rendered prompt: the clients it sends to never change a message).</summary>
    public (List<ChatMessage> Messages, ChatOptions Options) Apply(ChatMessage system, IReadOnlyCollection<ChatMessage> messages, ChatOptions? caller = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(messages);
        var list = new List<ChatMessage>(messages.Count + 1) { system };
        list.AddRange(messages);

        var options = ReleaseConversation.ToChatOptions(Snapshot.Model);
        if (caller is not null)
        {
            options.Temperature ??= caller.Temperature;
            options.MaxOutputTokens ??= caller.MaxOutputTokens;
            options.TopP ??= caller.TopP;
            options.TopK ??= caller.TopK;
            options.Seed ??= caller.Seed;
            options.StopSequences ??= caller.StopSequences;
            options.ToolMode = caller.ToolMode;
            options.AllowMultipleToolCalls = caller.AllowMultipleToolCalls;
        }

        if (caller?.Tools is not { Count: > 0 })
        {
            options.Tools = _tools.Length > 0 ? _toolsReadOnly : null;
        }
        else
        {
            var tools = new List<AITool>(_tools);
            if (caller?.Tools is { } callerTools)
            {
                foreach (var tool in callerTools)
                {
                    if (!Declares(tool.Name))
                    {
                        tools.Add(tool);
                    }
                }
            }

            options.Tools = tools;
        }

        return (list, options);
    }

    /// <summary>Whether the release declares a tool named <paramref name="name"/>: its own comes first and a caller's of that name is dropped.</summary>
    public bool Declares(string name) => Declares(_tools, name);

    /// <summary>Whether <paramref name="tools"/> (a release's, a request's; none when null) has one named <paramref name="name"/>.</summary>
    public static bool Declares(IEnumerable<AITool>? tools, string name)
    {
        foreach (var tool in tools ?? [])
        {
            if (string.Equals(tool.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
