namespace Glidepath.Evals.Import;

/// <summary>
/// A promptfoo template rendered with a test's vars: the text with every plain <c>{{ name }}</c> the vars set filled in, the
/// names it uses that the vars do not set (left as written), and the nunjucks syntax beyond a plain placeholder it holds
/// (<c>{{ x | upper }}</c>, <c>{% if %}</c>; left as written).
/// </summary>
internal sealed record PromptfooRendering(string Text, IReadOnlyList<string> Missing, IReadOnlyList<string> Unsupported)
{
    /// <summary>Whether every piece of template syntax was filled in, so <see cref="Text"/> is what promptfoo would render.</summary>
    public bool Complete => Missing.Count == 0 && Unsupported.Count == 0;
}
