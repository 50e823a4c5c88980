using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers;

/// <summary>
/// Hands a provider's SDK client each tool in the form that provider should get it (its schema as written, an open
/// schema kept open): the form is made once per tool, since a release's tools are the same instances on every call.
/// </summary>
internal static class ToolRewrite
{
    /// <summary>
    /// <paramref name="options"/> unchanged when no tool has another form; otherwise a copy with those forms (the
    /// caller's options are never changed). <paramref name="forms"/> keeps each tool's form (itself when it has none).
    /// </summary>
    public static ChatOptions? Apply(ChatOptions? options, ConditionalWeakTable<AITool, AITool> forms, ConditionalWeakTable<AITool, AITool>.CreateValueCallback form)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        List<AITool>? rewritten = null;
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = forms.GetValue(tools[i], form);
            if (!ReferenceEquals(tool, tools[i]))
            {
                rewritten ??= [.. tools];
                rewritten[i] = tool;
            }
        }

        if (rewritten is null)
        {
            return options;
        }

        var copy = options.Clone();
        copy.Tools = rewritten;
        return copy;
    }
}
