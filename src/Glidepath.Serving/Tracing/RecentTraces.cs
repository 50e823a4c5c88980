namespace Glidepath.Serving.Tracing;

/// <summary>A fixed-size ring of recently issued trace ids, so feedback can wait for a trace still in the queue.</summary>
internal sealed class RecentTraces(int capacity)
{
    private readonly string?[] _ring = new string?[capacity];
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _next;

    public void Add(string id)
    {
        lock (_lock)
        {
            if (_ring[_next] is { } old)
            {
                _set.Remove(old);
            }

            _ring[_next] = id;
            _set.Add(id);
            _next = (_next + 1) % _ring.Length;
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _set.Contains(id);
        }
    }
}
