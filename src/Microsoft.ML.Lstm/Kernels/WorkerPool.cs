using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Microsoft.ML.Lstm.Kernels;

/// <summary>The body of a parallel loop: processes items [start, end) with the loop's arguments.</summary>
/// <typeparam name="TArgs">The arguments, usually a small struct or the object that owns the work.</typeparam>
internal delegate void RangeAction<TArgs>(in TArgs args, int start, int end);

/// <summary>
/// Long-lived background threads that run the ranges of a loop split by <see cref="RangeStart"/>: the
/// calling thread runs range 0 and worker w runs range w + 1. A dispatch allocates nothing.
/// </summary>
/// <remarks>
/// <para><b>One dispatch at a time.</b> A caller first claims the pool; when another caller holds it
/// (concurrent networks or prediction engines, or a loop nested in a loop body) <see cref="TryRun"/>
/// returns false and the caller runs the ranges itself. Results never depend on which thread runs a range,
/// so this changes no bit, and no caller ever waits for another.</para>
/// <para><b>Per-call state.</b> The loop's arguments are copied into a local of <see cref="TryRun"/>, on the
/// calling thread's stack, and workers read them through a pointer to it: that frame outlives the dispatch
/// (the caller waits for every range), the GC never moves stack memory and updates the references stored
/// there, and nothing of one call is shared with another.</para>
/// <para><b>Waiting.</b> Idle workers spin for <see cref="SpinMicroseconds"/> (back-to-back dispatches of a
/// training step then start without a kernel wake-up) and then block on a monitor; the caller waits for
/// the workers the same way. Worker exceptions are rethrown on the caller after all ranges have ended.</para>
/// <para>Workers are background threads created on first need and kept; <see cref="Dispose"/> stops them
/// (the <see cref="Shared"/> pool lives for the process).</para>
/// </remarks>
internal sealed unsafe class WorkerPool : IDisposable
{
    /// <summary>How long a waiting thread spins before it blocks.</summary>
    public const int SpinMicroseconds = 50;

    private static readonly long s_spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    private readonly Waiter _done = new();
    private Worker[] _workers = [];
    private int _claimed, _pending, _count, _ranges;
    private volatile bool _disposed;
    private Exception? _error;

    // The dispatch in progress: arguments (on the caller's stack), body, and the typed trampoline.
    private void* _args;
    private Delegate? _body;
    private delegate*<void*, Delegate, int, int, void> _invoke;

    /// <summary>The process-wide pool every <see cref="ComputeContext{T}"/> uses.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>Number of worker threads started so far.</summary>
    public int WorkerCount => Volatile.Read(ref _workers).Length;

    /// <summary>Bytes the worker threads had allocated when they last finished a range (for allocation tests).</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (var w in Volatile.Read(ref _workers)) sum += w.AllocatedBytes;
            return sum;
        }
    }

    /// <summary>Start of range <paramref name="r"/> of <paramref name="ranges"/> contiguous ranges over [0, count).</summary>
    public static int RangeStart(int count, int ranges, int r) => (int)((long)count * r / ranges);

    /// <summary>
    /// Runs <paramref name="body"/> over <paramref name="ranges"/> ranges of [0, <paramref name="count"/>)
    /// on this thread and ranges − 1 workers, and returns true once all have ended; returns false at once,
    /// running nothing, when the pool is busy with another dispatch or disposed.
    /// </summary>
    public bool TryRun<TArgs>(int count, int ranges, in TArgs args, RangeAction<TArgs> body)
    {
        if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0) return false;
        try
        {
            var workers = Workers(ranges - 1);
            TArgs local = args;
            _args = Unsafe.AsPointer(ref local);
            _invoke = &Invoke<TArgs>;
            (_body, _count, _ranges) = (body, count, ranges);
            Volatile.Write(ref _pending, ranges - 1);
            for (int w = 0; w < ranges - 1; w++) workers[w].Start(w + 1);
            try { body(in local, 0, RangeStart(count, ranges, 1)); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            _done.Wait(ref _pending, 0, untilEqual: true);
            KeepAlive(ref local);
            _args = null;
            _body = null;
            if (_error is { } error) { _error = null; ExceptionDispatchInfo.Throw(error); }
            return true;
        }
        finally { Volatile.Write(ref _claimed, 0); }
    }

    /// <summary>
    /// Stops the workers. The pool stays claimed for good, so later <see cref="TryRun"/> calls return false
    /// and their callers run the ranges themselves. Call when no dispatch is running.
    /// </summary>
    /// <exception cref="InvalidOperationException">A dispatch is running.</exception>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0)
        {
            if (_disposed) return;
            throw new InvalidOperationException("The pool is running a dispatch.");
        }
        _disposed = true;
        foreach (var w in _workers) w.Start(Worker.Stop);
    }

    private static void Invoke<TArgs>(void* args, Delegate body, int start, int end) =>
        Unsafe.As<RangeAction<TArgs>>(body)(in Unsafe.AsRef<TArgs>(args), start, end);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void KeepAlive<TArgs>(ref TArgs _) { }

    /// <summary>The first <paramref name="n"/> workers, starting new ones when needed (by the claimant only).</summary>
    private Worker[] Workers(int n)
    {
        var workers = _workers;
        if (workers.Length >= n) return workers;
        var grown = new Worker[n];
        workers.CopyTo(grown, 0);
        for (int w = workers.Length; w < n; w++) grown[w] = new Worker(this, w);
        Volatile.Write(ref _workers, grown);
        return grown;
    }

    /// <summary>Runs range <paramref name="r"/> of the current dispatch on a worker, keeping its exception for the caller.</summary>
    private void RunRange(int r)
    {
        try { _invoke(_args, _body!, RangeStart(_count, _ranges, r), RangeStart(_count, _ranges, r + 1)); }
        catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
    }

    private void RangeDone()
    {
        if (Interlocked.Decrement(ref _pending) == 0) _done.Wake();
    }

    /// <summary>One background thread: waits for a range index, runs it, reports, repeats.</summary>
    private sealed class Worker
    {
        public const int Idle = -1, Stop = -2;

        private readonly WorkerPool _pool;
        private readonly Waiter _wake = new();
        private int _range = Idle;
        private long _allocated;

        public Worker(WorkerPool pool, int index)
        {
            _pool = pool;
            new Thread(Loop) { IsBackground = true, Name = $"LSTM worker {index + 1}" }.Start();
        }

        /// <summary>GC.GetAllocatedBytesForCurrentThread of this worker after its last range.</summary>
        public long AllocatedBytes => Volatile.Read(ref _allocated);

        /// <summary>Hands range <paramref name="range"/> (or <see cref="Stop"/>) to the idle worker.</summary>
        public void Start(int range)
        {
            Interlocked.Exchange(ref _range, range);
            _wake.Wake();
        }

        private void Loop()
        {
            for (int r; (r = _wake.Wait(ref _range, Idle, untilEqual: false)) != Stop;)
            {
                _pool.RunRange(r);
                Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread());
                Volatile.Write(ref _range, Idle);   // before RangeDone: the next Start may follow at once
                _pool.RangeDone();
            }
        }
    }

    /// <summary>
    /// One thread's wait for an int field that other threads change: spins for
    /// <see cref="SpinMicroseconds"/>, then blocks until <see cref="Wake"/>. Allocates nothing.
    /// </summary>
    private sealed class Waiter
    {
        private readonly object _gate = new();
        private int _parked;

        /// <summary>
        /// Waits until <paramref name="field"/> equals (or, with <paramref name="untilEqual"/>
        /// false, differs from) <paramref name="value"/>; returns it.
        /// </summary>
        public int Wait(ref int field, int value, bool untilEqual)
        {
            long spinUntil = Stopwatch.GetTimestamp() + s_spinTicks;
            for (int f; ;)
            {
                if ((f = Volatile.Read(ref field)) == value == untilEqual) return f;
                if (Stopwatch.GetTimestamp() < spinUntil) { Thread.SpinWait(8); continue; }
                lock (_gate)
                {
                    Interlocked.Exchange(ref _parked, 1);   // full fence, paired with the one before Wake
                    while (Volatile.Read(ref field) == value != untilEqual) Monitor.Wait(_gate);
                    Volatile.Write(ref _parked, 0);
                }
            }
        }

        /// <summary>Wakes the waiter if it blocked; call after changing the field with a full fence (Interlocked).</summary>
        public void Wake()
        {
            if (Volatile.Read(ref _parked) == 0) return;
            lock (_gate) Monitor.Pulse(_gate);
        }
    }
}
