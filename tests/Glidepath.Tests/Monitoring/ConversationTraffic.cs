namespace Glidepath.Tests.Monitoring;

/// <summary>
/// Seeded arrivals of one release over whole days, per minute: conversations start as a Poisson stream with a ×3 daily
/// volume cycle (trough 02:00, peak 14:00 UTC), each holds a geometric number of requests (mean <c>perConversation</c>;
/// 1 is plain Poisson requests) about a minute apart and belongs to one subject, whose group (of 64) it marks. Traffic
/// ends for good at <c>stopAt</c> minutes when given. Windows are read as the trace store reads them: whole minutes, half-open.
/// </summary>
internal sealed class ConversationTraffic
{
    public static readonly DateTimeOffset Start = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);

    private readonly long[] cumulative;
    private readonly ulong[] groups;

    public ConversationTraffic(int seed, int days, double requestsPerHour, double perConversation, int stopAt = int.MaxValue)
    {
        var random = new Random(seed);
        var minutes = days * 24 * 60;
        var counts = new long[minutes];
        groups = new ulong[minutes];
        var meanCycle = Enumerable.Range(0, 1440).Average(m => Math.Pow(3, Phase(m) / 2));
        for (var m = 0; m < Math.Min(minutes, stopAt); m++)
        {
            var starts = Poisson(random, requestsPerHour / 60 * Math.Pow(3, Phase(m) / 2) / meanCycle / perConversation);
            for (var k = 0; k < starts; k++)
            {
                var group = random.Next(64);
                var size = perConversation <= 1 ? 1 : 1 + (int)Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - (1 / perConversation)));
                var t = m + random.NextDouble();
                for (var j = 0; j < size && (int)t < Math.Min(minutes, stopAt); j++, t += -Math.Log(1 - random.NextDouble()))
                {
                    counts[(int)t]++;
                    groups[(int)t] |= 1UL << group;
                }
            }
        }

        cumulative = new long[minutes + 1];
        for (var m = 0; m < minutes; m++)
        {
            cumulative[m + 1] = cumulative[m] + counts[m];
        }
    }

    public long Requests(DateTimeOffset from, DateTimeOffset to) => cumulative[Minute(to)] - cumulative[Minute(from)];

    /// <summary>Subject groups with at least one request in [from, to).</summary>
    public long ActiveGroups(DateTimeOffset from, DateTimeOffset to)
    {
        var mask = 0UL;
        for (var m = Minute(from); m < Minute(to); m++)
        {
            mask |= groups[m];
        }

        return System.Numerics.BitOperations.PopCount(mask);
    }

    private static int Minute(DateTimeOffset t) => (int)(t - Start).TotalMinutes;

    private static double Phase(int minute) => Math.Cos(2 * Math.PI * (((minute % 1440) / 60.0) - 14) / 24);

    /// <summary>A Poisson draw by multiplying uniforms (Knuth): for the small means these simulations use.</summary>
    internal static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }
}
