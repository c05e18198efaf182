using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>The bounded shuffle of streamed training: every item once, at most the pool held, seeded, and a real shuffle.</summary>
public class ShufflePoolTests
{
    /// <summary>0 … n − 1, counting how many items have been produced.</summary>
    private sealed class CountingSource(int n)
    {
        public int Produced { get; private set; }

        public IEnumerable<int> Items()
        {
            for (int i = 0; i < n; i++)
            {
                Produced++;
                yield return i;
            }
        }
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(1000, 37)]
    [InlineData(1000, 1000)]
    [InlineData(50, 400)]
    public void EveryItemComesOnce_AndNoMoreThanThePoolIsHeld(int n, int capacity)
    {
        var source = new CountingSource(n);
        var order = new List<int>();
        foreach (int item in ShufflePool.Shuffle(source.Items(), capacity, new Rng(3)))
        {
            order.Add(item);
            Assert.True(source.Produced - order.Count <= capacity,
                $"{source.Produced} produced, {order.Count} passed on: more than {capacity} held");
            Assert.True(item <= order.Count - 1 + capacity, $"item {item} came out {item - order.Count + 1} places early");
        }
        Assert.Equal(Enumerable.Range(0, n), order.Order());
        if (capacity > 1) Assert.NotEqual(Enumerable.Range(0, n), order);
        else Assert.Equal(Enumerable.Range(0, n), order);   // a pool of one passes items on as they come
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrder_AnotherSeedAnother()
    {
        int[] Run(ulong seed) => [.. ShufflePool.Shuffle(Enumerable.Range(0, 500), 64, new Rng(seed))];
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void APoolAsLargeAsTheDataShufflesUniformly()
    {
        // Item 0's final place over many seeds: uniform over the 8 places (a bounded pool would favour the early ones).
        var counts = new int[8];
        for (ulong seed = 0; seed < 8000; seed++)
            counts[ShufflePool.Shuffle(Enumerable.Range(0, 8), 8, new Rng(seed)).ToList().IndexOf(0)]++;
        Assert.All(counts, c => Assert.InRange(c, 880, 1120));
    }

    [Fact]
    public void ACapacityBelowOneIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShufflePool.Shuffle(Enumerable.Range(0, 3), 0, new Rng(1)));
}
