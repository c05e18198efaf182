using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// The bridge from <c>MLContext.CancelExecution()</c> to a <see cref="CancellationToken"/>, which the
/// data readers and <see cref="Training.TrainingLoop"/> check. ML.NET raises no event on cancellation, so
/// its flag is polled: every 100 ms by a timer (reaching work on other threads, such as the forecaster's
/// parallel ensemble members) and on every <see cref="Poll"/>, which the trainers call between rows and
/// after each epoch, so a cancellation made on the training thread stops it before the next batch.
/// </summary>
internal sealed class HostCancellation : IDisposable
{
    private const int PollMilliseconds = 100;
    private readonly IHostEnvironment _env;
    // Not disposed: a source without linked tokens or timers holds nothing to release, and a timer
    // callback still running after Dispose may then cancel it safely.
    private readonly CancellationTokenSource _source = new();
    private readonly Timer _timer;

    public HostCancellation(IHostEnvironment env)
    {
        _env = env;
        _timer = new Timer(_ => Poll(), null, PollMilliseconds, PollMilliseconds);
    }

    /// <summary>Canceled once <c>MLContext.CancelExecution()</c> has been seen.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Cancels <see cref="Token"/> now if <c>MLContext.CancelExecution()</c> was called.</summary>
    public void Poll()
    {
        if (_env is ICancelable { IsCanceled: true }) _source.Cancel();
    }

    /// <summary>Polls, then throws <see cref="OperationCanceledException"/> if training is canceled.</summary>
    public void ThrowIfCanceled()
    {
        Poll();
        _source.Token.ThrowIfCancellationRequested();
    }

    public void Dispose() => _timer.Dispose();
}
