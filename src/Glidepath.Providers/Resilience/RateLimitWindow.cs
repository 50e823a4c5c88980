namespace Glidepath.Providers.Resilience;

/// <summary>
/// The outcomes of a model's last <see cref="ProviderBackoff.Window"/> attempts (rate limited or not), a ring: whether
/// 429s are a storm (at least half of them) or one now and then. Not thread-safe: <see cref="ProviderBackoff"/> holds its lock.
/// </summary>
internal sealed class RateLimitWindow
{
    private readonly bool[] _recent = new bool[ProviderBackoff.Window];
    private int _next;
    private int _seen;
    private int _limited;

    /// <summary>Counts one attempt's outcome; whether at least half of the window's attempts were rate limited.</summary>
    public bool Count(bool limited)
    {
        if (_seen == _recent.Length)
        {
            _limited -= _recent[_next] ? 1 : 0;
        }
        else
        {
            _seen++;
        }

        _recent[_next] = limited;
        _limited += limited ? 1 : 0;
        _next = (_next + 1) % _recent.Length;
        return 2 * _limited >= _seen;
    }
}
