namespace Microsoft.ML.Lstm.Core;

/// <summary>
/// A small seeded generator (SplitMix64) whose stream is fixed by this library, not by the .NET version,
/// so a seed gives the same weights, shuffles and dropout masks everywhere.
/// </summary>
internal sealed class Rng
{
    private ulong _state;

    /// <summary>Creates a generator from a seed.</summary>
    public Rng(ulong seed) => _state = seed;

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Upper bound must be positive.");
        return (int)((NextUInt64() >> 1) % (ulong)n);
    }

    /// <summary>Standard normal sample (Box–Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Stateless uniform [0, 1) value for a (seed, stream, index) triple: dropout masks use it so the mask
    /// of an element does not depend on which thread draws it or in what order.
    /// </summary>
    public static double Hash01(ulong seed, ulong stream, ulong index)
    {
        ulong x = Mix(seed ^ Mix(stream * 0xD1B54A32D192ED03UL + index + 0x632BE59BD9B4E019UL));
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Derives an independent seed for a sub-stream.</summary>
    public static ulong Derive(ulong seed, ulong stream) => Mix(seed + Mix(stream + 0x9E3779B97F4A7C15UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
