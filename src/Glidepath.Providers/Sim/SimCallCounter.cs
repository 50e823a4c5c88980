using System.Collections.Concurrent;
using Glidepath.Manifests;

namespace Glidepath.Providers.Sim;

/// <summary>
/// Numbers the calls to each sim model, across the clients a factory hands out, so that injected
/// faults hit a seeded fraction of calls even when every request is the same.
/// </summary>
internal sealed class SimCallCounter
{
    private readonly ConcurrentDictionary<string, Sequence> _sequences = new(StringComparer.Ordinal);

    public Sequence For(ModelSpec model) =>
        _sequences.GetOrAdd(model.Name + "|" + string.Join(",", model.Options.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value?.ToJsonString())), _ => new Sequence());

    internal sealed class Sequence
    {
        private long _next = -1;

        public long Next() => Interlocked.Increment(ref _next);
    }
}
