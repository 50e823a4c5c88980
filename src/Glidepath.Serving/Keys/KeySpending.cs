namespace Glidepath.Serving.Keys;

/// <summary>
/// Each key's model cost so far on the current UTC day: the store's sum when the gateway started, plus the cost of
/// every trace this gateway records (<see cref="Tracing.ChatTraceRecorder"/>). Never read from the store per request.
/// Also each budgeted key's requests in flight, so that many requests sent at once cannot each pass the check before
/// any of them is paid for (<see cref="TryAdmit"/>).
/// </summary>
internal sealed class KeySpending(TimeProvider time)
{
    private readonly Dictionary<string, (DateOnly Day, double Usd)> _spent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _largest = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>
    /// Admits one more request of a key with a daily budget when what it has spent today, plus its requests in flight
    /// each counted at the dearest request it has made, stays under <paramref name="budget"/>; until one of its requests
    /// has been served or cost something (after a restart, say) that price is unknown, and its requests go one at a
    /// time (a model without a price is known to cost nothing once one request is served). So a budget is overshot by
    /// about one request's cost, however many are sent at once. An admitted request is given back with
    /// <see cref="Done"/>.
    /// </summary>
    public bool TryAdmit(string keyId, double budget)
    {
        var today = Today();
        lock (_sync)
        {
            var spent = _spent.TryGetValue(keyId, out var s) && s.Day == today ? s.Usd : 0;
            var inFlight = _inFlight.GetValueOrDefault(keyId);
            var known = _largest.TryGetValue(keyId, out var price);
            if (spent >= budget || (inFlight > 0 && (!known || spent + (inFlight * price) >= budget)))
            {
                return false;
            }

            _inFlight[keyId] = inFlight + 1;
            return true;
        }
    }

    /// <summary>An admitted request has ended.</summary>
    public void Done(string keyId)
    {
        lock (_sync)
        {
            var left = _inFlight.GetValueOrDefault(keyId) - 1;
            if (left > 0)
            {
                _inFlight[keyId] = left;
            }
            else
            {
                _inFlight.Remove(keyId);
            }
        }
    }

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
            if (!_largest.TryGetValue(keyId, out var largest) || usd > largest)
            {
                _largest[keyId] = usd;
            }
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
