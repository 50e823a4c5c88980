using System.Collections.Concurrent;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Runs;

/// <summary>
/// A release's system prompt rendered once per set of values of the variables it uses (a dataset has a few: one per
/// customer tier, say), up to <see cref="MaxPrompts"/> of them, instead of once per call. The message is shared by the
/// calls that use it: the model pipeline never changes a message it is given.
/// </summary>
internal sealed class RenderedPrompts(ReleaseApplier applier)
{
    private const int MaxPrompts = 256;

    private readonly string[] _variables = [.. PromptTemplate.Variables(applier.Snapshot.SystemPrompt)];
    private readonly ConcurrentDictionary<string, ChatMessage> _messages = new(StringComparer.Ordinal);

    /// <summary>The system message for <paramref name="vars"/>; a variable left unset fails as <see cref="ReleaseApplier.RenderSystemPrompt"/> does.</summary>
    public ChatMessage For(IReadOnlyDictionary<string, string> vars)
    {
        var key = Key(vars);
        if (key is not null && _messages.TryGetValue(key, out var known))
        {
            return known;
        }

        var message = new ChatMessage(ChatRole.System, applier.RenderSystemPrompt(vars));
        if (key is not null && _messages.Count < MaxPrompts)
        {
            _messages.TryAdd(key, message);
        }

        return message;
    }

    /// <summary>The values of the template's variables, in order, or null when one is unset (rendering then names it).</summary>
    private string? Key(IReadOnlyDictionary<string, string> vars)
    {
        if (_variables.Length == 0)
        {
            return "";
        }

        // Each value with its length in front: no two different sets of values give the same key.
        var key = new System.Text.StringBuilder();
        foreach (var name in _variables)
        {
            if (!vars.TryGetValue(name, out var value))
            {
                return null;
            }

            key.Append(value.Length).Append(':').Append(value);
        }

        return key.ToString();
    }
}
