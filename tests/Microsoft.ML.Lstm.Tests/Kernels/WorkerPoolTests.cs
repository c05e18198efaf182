using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.Tests.Core;

namespace Microsoft.ML.Lstm.Tests.Kernels;

/// <summary>
/// The persistent worker pool: ranges, exceptions, a busy pool, disposal, and several callers sharing one
/// network and compute context.
/// </summary>
public class WorkerPoolTests
{
    private static readonly RangeAction<int[]> Record = static (in int[] owner, int start, int end) =>
    {
        for (int i = start; i < end; i++) Interlocked.Increment(ref owner[i]);
    };

    [Theory]
    [InlineData(103, 4)]
    [InlineData(5, 5)]
    [InlineData(1000, 2)]
    public void TryRun_RunsEveryItemOnce(int count, int ranges)
    {
        using var pool = new WorkerPool();
        var hits = new int[count];
        Assert.True(pool.TryRun(count, ranges, hits, Record));
        Assert.All(hits, h => Assert.Equal(1, h));
        Assert.Equal(ranges - 1, pool.WorkerCount);
        Assert.Equal(0, WorkerPool.RangeStart(count, ranges, 0));
        Assert.Equal(count, WorkerPool.RangeStart(count, ranges, ranges));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AnException_IsRethrownOnTheCaller_AfterEveryRangeEnded(int throwingRange)
    {
        using var pool = new WorkerPool();
        const int Count = 40, Ranges = 4;
        var hits = new int[Count];
        var ex = Assert.Throws<InvalidOperationException>(() => pool.TryRun(Count, Ranges, (hits, throwingRange),
            static (in (int[] Hits, int Bad) a, int start, int end) =>
            {
                if (start == WorkerPool.RangeStart(Count, Ranges, a.Bad)) throw new InvalidOperationException($"range {a.Bad}");
                Thread.Sleep(20);   // the other ranges are still running when the exception is thrown
                for (int i = start; i < end; i++) a.Hits[i]++;
            }));
        Assert.Equal($"range {throwingRange}", ex.Message);
        int done = hits.Count(h => h == 1);
        Assert.Equal(Count - Count / Ranges, done);

        // The pool is free again and still works.
        var again = new int[Count];
        Assert.True(pool.TryRun(Count, Ranges, again, Record));
        Assert.All(again, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ABusyPool_RefusesTheDispatch_AndComputeContextRunsTheRangesInline()
    {
        using var pool = new WorkerPool();
        var refused = new bool[2];
        Assert.True(pool.TryRun(2, 2, (pool, refused), static (in (WorkerPool Pool, bool[] Refused) a, int start, int end) =>
            a.Refused[start] = !a.Pool.TryRun(4, 2, new int[4], Record)));
        Assert.Equal([true, true], refused);

        // Loops nested in loops of a context (both on the shared pool) run, nested ones on their callers.
        var ctx = new ComputeContext<float>(3);
        var hits = new int[6 * 50];
        ctx.For(6, 1, (s, e) =>
        {
            for (int i = s; i < e; i++)
                ctx.For(50, 1, (s2, e2) => { for (int j = s2; j < e2; j++) Interlocked.Increment(ref hits[i * 50 + j]); });
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Dispose_StopsTheWorkers_AndLaterDispatchesAreRefused()
    {
        var pool = new WorkerPool();
        Assert.True(pool.TryRun(10, 3, new int[10], Record));
        pool.Dispose();
        pool.Dispose();
        Assert.False(pool.TryRun(10, 3, new int[10], Record));
    }

    [Fact]
    public void ConcurrentCallers_OnOneNetworkAndContext_GetTheSequentialResults()
    {
        var spec = new LstmNetworkSpec
        {
            InputSize = 4, HiddenSize = 12, NumberOfLayers = 2, Bidirectional = true, Dropout = 0.2, RecurrentDropout = 0.1,
            Head = HeadKind.ManyToMany, OutputSize = 2,
        };
        var net = LstmTestKit.CreateNetwork<float>(spec, seed: 11, threads: 2);
        const int Callers = 4, Rounds = 15, Steps = 9;
        var problems = Enumerable.Range(0, Callers).Select(k =>
        {
            var rng = new Rng(100 + (ulong)k);
            var lengths = Enumerable.Range(0, 7).Select(b => b == 0 ? Steps : 1 + rng.NextInt(Steps)).ToArray();
            return (Batch: LstmTestKit.RandomBatch<float>(spec, Steps, lengths, rng, initialState: true),
                DOut: LstmTestKit.Gaussian<float>(rng, Steps * 7 * spec.OutputSize));
        }).ToArray();
        var expected = problems.Select((p, k) =>
            LstmTestKit.Run(net, net.CreateWorkspace(), p.Batch, p.DOut, training: true, dropoutSeed: (ulong)k))
            .ToArray();

        var failures = new List<string>();
        var threads = Enumerable.Range(0, Callers).Select(k => new Thread(() =>
        {
            var ws = net.CreateWorkspace();
            for (int round = 0; round < Rounds; round++)
            {
                var got = LstmTestKit.Run(net, ws, problems[k].Batch, problems[k].DOut, training: true, dropoutSeed: (ulong)k);
                try { LstmTestKit.AssertBitIdentical(expected[k], got, $"caller {k}, round {round}"); }
                catch (Exception e) { lock (failures) failures.Add(e.Message); return; }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }
}
