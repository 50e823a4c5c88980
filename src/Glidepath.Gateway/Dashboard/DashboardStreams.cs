using System.Collections.Concurrent;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// How many live streams (<c>/dashboard/events</c>) each actor has open on this host. Every stream reads the store about
/// once a second for as long as it stays open, so one sign-in may hold at most
/// <see cref="DashboardOptions.MaxLiveStreamsPerActor"/> of them: a script opening thousands would otherwise turn one
/// viewer's token into thousands of store reads a second.
/// </summary>
internal sealed class DashboardStreams
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly int _max;

    public DashboardStreams(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLiveStreamsPerActor, 1, nameof(options));
        _max = options.MaxLiveStreamsPerActor;
    }

    /// <summary>Counts one more stream of <paramref name="actor"/>, or false (nothing counted) when it already has the most allowed.</summary>
    public bool TryOpen(string actor)
    {
        while (true)
        {
            if (!_open.TryGetValue(actor, out var count))
            {
                if (_open.TryAdd(actor, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= _max)
            {
                return false;
            }

            if (_open.TryUpdate(actor, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one stream of <paramref name="actor"/> (opened with <see cref="TryOpen"/>) as closed.</summary>
    public void Close(string actor)
    {
        while (_open.TryGetValue(actor, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(actor, count)) : _open.TryUpdate(actor, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>The streams <paramref name="actor"/> has open now.</summary>
    public int Open(string actor) => _open.TryGetValue(actor, out var count) ? count : 0;
}
