using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// The one place Glidepath loads a YAML text (the manifest, whether from the working tree or a git revision, and a
/// promptfoo suite): within <see cref="ManifestLimits"/> (<see cref="YamlGuard"/>), and with a parser's failure turned
/// into what to fix in plain words by <see cref="YamlSyntaxMessage"/>.
/// </summary>
internal static class YamlLoader
{
    /// <summary>Loads <paramref name="yaml"/>; <see cref="YamlSyntaxException"/> when it is over the limits or is not valid YAML.</summary>
    /// <param name="what">What the text is, for the size message (<c>the manifest</c>, <c>the suite</c>).</param>
    public static YamlStream Load(string yaml, string what)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > ManifestLimits.MaxBytes)
        {
            throw new YamlSyntaxException(Mark.Empty, $"{what} is larger than {ManifestLimits.MaxBytes / 1024} KiB; expected a smaller file");
        }

        var stream = new YamlStream();
        var lastGood = Mark.Empty;
        try
        {
            // A first pass over the parser's events enforces the limits before any node is built, and
            // remembers where parsing last succeeded, because some scanner failures surface without a position.
            if (YamlGuard.Check(yaml, out lastGood) is { } tooMuch)
            {
                throw new YamlSyntaxException(tooMuch.Where, tooMuch.Message);
            }

            stream.Load(new StringReader(yaml));
            return stream;
        }
        catch (YamlException ex)
        {
            var (where, message) = YamlSyntaxMessage.Describe(ex, yaml, lastGood);
            throw new YamlSyntaxException(where, message);
        }
        catch (InvalidOperationException)
        {
            throw new YamlSyntaxException(lastGood, "the YAML cannot be parsed after this point (an unclosed bracket or quote?); expected valid YAML");
        }
        catch (ArgumentException)
        {
            // YamlDotNet's node loader refuses some event sequences its parser accepts (e.g. a line holding only ':').
            throw new YamlSyntaxException(Mark.Empty, "the YAML has a key or value the loader cannot place (a line holding only ':'?); expected valid YAML");
        }
    }
}
