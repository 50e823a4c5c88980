namespace Glidepath.Serving.Keys;

/// <summary>
/// Each key's model cost so far on the current UTC day: the store's sum when the gateway started, plus the cost of
/// every trace this gateway records (<see cref="Tracing.ChatTraceRecorder"/>). Never read from the store per request.
/// </summary>
internal sealed class KeySpending(TimeProvider time)
{
    private readonly Dictionary<string, (DateOnly Day, double Usd)> _spent = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Adds what the store already holds for today (at start).</summary>
    public void Seed(IReadOnlyDictionary<string, double> todayByKey)
    {
        var today = Today();
        lock (_sync)
        {
            foreach (var (keyId, usd) in todayByKey)
            {
                _spent[keyId] = (today, usd);
            }
        }
    }

    public void Add(string keyId, double usd, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        lock (_sync)
        {
            _spent[keyId] = _spent.TryGetValue(keyId, out var s) && s.Day == day ? (day, s.Usd + usd) : (day, usd);
        }
    }

    public double Today(string keyId)
    {
        var today = Today();
        lock (_sync)
        {
            return _spent.TryGetValue(keyId, out var s) && s.Day == today ? s.Usd : 0;
        }
    }

    /// <summary>How long until the budget resets (the next UTC midnight).</summary>
    public TimeSpan UntilTomorrow()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now;
    }

    /// <summary>The start of the current UTC day.</summary>
    public DateTimeOffset StartOfToday() => new(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
