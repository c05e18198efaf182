using System.Runtime.InteropServices;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Shuffles a stream through a bounded pool, as <c>mlContext.Data.ShuffleRows(shufflePoolSize)</c> and tf.data's
/// <c>Dataset.shuffle(buffer_size)</c> do: the first <c>capacity</c> items fill the pool; from then on each new item
/// takes the place of one drawn at random from the pool, which is passed on; at the end the rest of the pool follows in
/// random order. At most <c>capacity</c> items are held; an item comes out at most <c>capacity</c> places before its place in the
/// source, and any number after. The order depends only on the source order and the generator.
/// </summary>
internal static class ShufflePool
{
    /// <summary>The items of <paramref name="source"/>, shuffled through a pool of <paramref name="capacity"/> items.</summary>
    public static IEnumerable<T> Shuffle<T>(IEnumerable<T> source, int capacity, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(rng);
        return Iterate(source, capacity, rng);
    }

    private static IEnumerable<T> Iterate<T>(IEnumerable<T> source, int capacity, Rng rng)
    {
        var pool = new List<T>(Math.Min(capacity, 1024));
        foreach (var item in source)
        {
            if (pool.Count < capacity)
            {
                pool.Add(item);
                continue;
            }
            int j = rng.NextInt(capacity);
            var drawn = pool[j];
            pool[j] = item;
            yield return drawn;
        }
        rng.Shuffle(CollectionsMarshal.AsSpan(pool));
        for (int i = 0; i < pool.Count; i++)
        {
            var drawn = pool[i];
            pool[i] = default!;   // held by the caller only
            yield return drawn;
        }
    }
}
