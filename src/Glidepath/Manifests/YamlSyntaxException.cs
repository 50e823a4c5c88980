using YamlDotNet.Core;

namespace Glidepath.Manifests;

/// <summary>
/// A YAML text that <see cref="YamlLoader"/> could not load: where (<see cref="Where"/>, 1-based; line 0 when the parser
/// gave no position) and what to fix, worded as <c>what is wrong; expected …</c> for a <c>file:line:col:</c> prefix.
/// </summary>
internal sealed class YamlSyntaxException(Mark where, string message) : Exception(message)
{
    public Mark Where { get; } = where;
}
