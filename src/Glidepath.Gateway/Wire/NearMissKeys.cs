using System.Text.Json;
using Glidepath.Errors;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// The did-you-mean of a 400 for a required key the body lacks: a key it has instead a typo or two away
/// (<c>message</c> for <c>messages</c>, <c>modle</c> for <c>model</c>). Read only when the request is refused, never on
/// a request that is served: the body's keys are not looked at otherwise (trial newcomer4 L6).
/// </summary>
internal static class NearMissKeys
{
    /// <summary>"; the body has 'message': did you mean 'messages'?" when <paramref name="obj"/> has a key a typo away from <paramref name="name"/> (<see cref="ClosestName"/>'s distance), else "".</summary>
    /// <remarks>
    /// None when the body has <paramref name="name"/> itself (present but empty or of the wrong kind: the error says what
    /// it must be). Only the first <see cref="MaxKeysRead"/> keys are looked at, and a key far longer than the name is
    /// skipped before any distance is computed (<see cref="ClosestName.Of"/>): the body is untrusted.
    /// </remarks>
    public static string Hint(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || obj.TryGetProperty(name, out _))
        {
            return "";
        }

        var read = 0;
        foreach (var property in obj.EnumerateObject())
        {
            if (++read > MaxKeysRead)
            {
                break;
            }

            if (ClosestName.Of(property.Name, [name]) is not null)
            {
                return $"; the body has '{property.Name}': did you mean '{name}'?";
            }
        }

        return "";
    }

    /// <summary>The body's keys looked at for a near miss: a request's top level has a dozen or so.</summary>
    public const int MaxKeysRead = 64;
}
