using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Scores one row at a time for one cursor or row (not thread-safe; each cursor owns one). Reads the
/// feature column (checked by <see cref="RowChecks"/>, as at training), runs the network on a batch of
/// one, and keeps the result while the features stay the same, so several output columns of one row cost
/// one forward pass. Once buffers have grown to the longest sequence seen, scoring a row allocates
/// nothing: the batch object, its inputs and the workspace are reused, and a batch of one runs on the
/// calling thread.
/// </summary>
internal sealed class RowScorer
{
    private readonly LstmModelParameters _model;
    private LstmWorkspace<float> _ws;
    private readonly ChunkedInference<float>? _chunked;
    private readonly SequenceReader _reader;
    private float[] _lastX = [];
    private int[] _lastTokens = [];
    private int _lastCount = -1;
    private readonly float[] _features;
    private float[] _y;
    private int _yCount;
    private int _busy;
    private readonly SequenceBatch<float> _batch = new(1, 1, 1, null);
    private readonly LstmModelParameters? _backward;
    private readonly LstmWorkspace<float>? _wsBackward;
    private readonly SequenceBatch<float> _batchBackward = new(1, 1, 1, null);
    private float[] _reversedX = [];
    private int[] _reversedTokens = [];

    /// <param name="model">The model.</param>
    /// <param name="input">The row or cursor read.</param>
    /// <param name="backward">A featurizer's encoder of the reversed sequences: its encoding follows the model's in
    /// <see cref="Features"/>.</param>
    public RowScorer(LstmModelParameters model, DataViewRow input, LstmModelParameters? backward = null)
    {
        _model = model;
        _ws = model.Network.CreateWorkspace();
        _chunked = ChunkedInference<float>.Applies(model.Network.Spec) ? new ChunkedInference<float>(model.Network) : null;
        _reader = new SequenceReader(input, input.Schema[model.FeatureColumnName], model.FeaturesPerStep, model.TokenKeyCount,
            model.Words);
        _y = new float[model.OutputSize];
        _backward = backward;
        _wsBackward = backward?.Network.CreateWorkspace();
        _features = new float[model.Network.Spec.LayerOutputSize + (backward?.Network.Spec.LayerOutputSize ?? 0)];
    }

    /// <summary>Rows longer than this release the workspace they grew (when the network reads every step).</summary>
    internal const int ReleaseSteps = 16_384;

    /// <summary>The encoding of the current row: what the head reads (<see cref="LstmWorkspace{T}.Features"/>).</summary>
    public ReadOnlySpan<float> Features()
    {
        Score();
        return _features;
    }

    /// <summary>
    /// Raw head outputs (logits / regression values) of the current row: O values, or steps × O for a per-step head
    /// (tagging, CTC).
    /// </summary>
    public ReadOnlySpan<float> Score()
    {
        // One scorer serves one cursor or PredictionEngine; two threads in it at once would mix their rows' buffers. Catch
        // that (ML.NET documents PredictionEngine as not thread-safe) instead of returning a wrong score.
        if (Interlocked.Exchange(ref _busy, 1) == 1)
            throw new InvalidOperationException(
                "This PredictionEngine (or cursor) is being used from two threads at once; it is not thread-safe. Create one engine " +
                "per thread, or pool them (Microsoft.Extensions.ObjectPool).");
        try { return ScoreRow(); }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private ReadOnlySpan<float> ScoreRow()
    {
        int n = _reader.Read();
        if (n == _lastCount && Same(n)) return _y.AsSpan(0, _yCount);
        int K = _model.FeaturesPerStep;
        _batch.Reset(n / K, 1, K, _reader.IsTokens ? null : _reader.Features, _reader.IsTokens ? _reader.Tokens : null);
        var y = _chunked is not null ? _chunked.Forward(_ws, _batch) : _model.Network.Forward(_ws, _batch);
        if (_y.Length < y.Length) _y = new float[y.Length];
        y.CopyTo(_y);
        _yCount = y.Length;
        if (_model.Network.Spec.Head == HeadKind.ManyToOne) _ws.Features.CopyTo(_features);
        if (_backward is not null) EncodeReversed(n);
        Remember(n);
        // A network that needs every step (a reverse direction, pooling, a per-step head) grew its buffers to this row:
        // past a limit they are dropped, so one very long row does not hold memory for the engine's lifetime.
        if (_batch.Steps > ReleaseSteps && _chunked is null) _ws = _model.Network.CreateWorkspace();
        return _y.AsSpan(0, _yCount);
    }

    /// <summary>The backward encoder's encoding of the row read backwards (steps in reverse order), after the forward one.</summary>
    private void EncodeReversed(int n)
    {
        int F = _model.FeaturesPerStep;
        if (_reader.IsTokens)
        {
            if (_reversedTokens.Length < n) _reversedTokens = new int[_reader.Tokens.Length];
            for (int t = 0; t < n; t++) _reversedTokens[t] = _reader.Tokens[n - 1 - t];
            _batchBackward.Reset(n, 1, 1, null, _reversedTokens);
        }
        else
        {
            if (_reversedX.Length < n) _reversedX = new float[_reader.Features.Length];
            int steps = n / F;
            for (int t = 0; t < steps; t++) _reader.Features.AsSpan((steps - 1 - t) * F, F).CopyTo(_reversedX.AsSpan(t * F, F));
            _batchBackward.Reset(steps, 1, F, _reversedX);
        }
        _backward!.Network.Forward(_wsBackward!, _batchBackward);
        _wsBackward!.Features.CopyTo(_features.AsSpan(_model.Network.Spec.LayerOutputSize));
    }

    private bool Same(int n) => _reader.IsTokens
        ? _reader.Tokens.AsSpan(0, n).SequenceEqual(_lastTokens.AsSpan(0, n))
        : _reader.Features.AsSpan(0, n).SequenceEqual(_lastX.AsSpan(0, n));

    private void Remember(int n)
    {
        _lastCount = n;
        if (_reader.IsTokens) Keep(_reader.Tokens, n, ref _lastTokens);
        else Keep(_reader.Features, n, ref _lastX);
    }

    private static void Keep<T>(T[] current, int n, ref T[] last)
    {
        if (last.Length < n) last = new T[current.Length];
        current.AsSpan(0, n).CopyTo(last);
    }
}
