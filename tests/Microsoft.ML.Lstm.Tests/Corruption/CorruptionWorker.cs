using System.Collections.Concurrent;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>
/// Runs cases one at a time on one long-lived thread, so that the allocations counted per case do not include the warm-up of
/// a fresh thread-pool thread (thread-static buffers and caches), and gives up on a case after a time limit (the thread is
/// then abandoned and a new one started).
/// </summary>
internal sealed class CorruptionWorker : IDisposable
{
    private BlockingCollection<(Action Work, ManualResetEventSlim Done)> _queue = Start();

    /// <summary>Runs <paramref name="work"/> on the worker; false when it did not finish within <paramref name="timeout"/>.</summary>
    public bool TryRun(Action work, TimeSpan timeout)
    {
        using var done = new ManualResetEventSlim();
        _queue.Add((work, done));
        if (done.Wait(timeout)) return true;
        _queue.CompleteAdding();
        _queue = Start();
        return false;
    }

    public void Dispose() => _queue.CompleteAdding();

    private static BlockingCollection<(Action, ManualResetEventSlim)> Start()
    {
        var queue = new BlockingCollection<(Action Work, ManualResetEventSlim Done)>();
        new Thread(() =>
        {
            foreach (var (work, done) in queue.GetConsumingEnumerable())
            {
                work();
                done.Set();
            }
        })
        { IsBackground = true, Name = "corruption cases" }.Start();
        return queue;
    }
}
