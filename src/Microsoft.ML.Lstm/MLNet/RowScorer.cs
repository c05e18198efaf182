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
    private readonly LstmWorkspace<float> _ws;
    private readonly SequenceReader _reader;
    private float[] _lastX = [];
    private int[] _lastTokens = [];
    private int _lastCount = -1;
    private readonly float[] _y, _features;
    private readonly SequenceBatch<float> _batch = new(1, 1, 1, null);

    public RowScorer(LstmModelParameters model, DataViewRow input)
    {
        _model = model;
        _ws = model.Network.CreateWorkspace();
        _reader = new SequenceReader(input, input.Schema[model.FeatureColumnName], model.FeaturesPerStep, model.TokenKeyCount);
        _y = new float[model.OutputSize];
        _features = new float[model.Network.Spec.LayerOutputSize];
    }

    /// <summary>The encoding of the current row: what the head reads (<see cref="LstmWorkspace{T}.Features"/>).</summary>
    public ReadOnlySpan<float> Features()
    {
        Score();
        return _features;
    }

    /// <summary>Raw head outputs (logits / regression values) of the current row.</summary>
    public ReadOnlySpan<float> Score()
    {
        int n = _reader.Read();
        if (n == _lastCount && Same(n)) return _y;
        if (_reader.IsTokens) _batch.Reset(n, 1, 1, null, _reader.Tokens);
        else _batch.Reset(n / _model.FeaturesPerStep, 1, _model.FeaturesPerStep, _reader.Features);
        _model.Network.Forward(_ws, _batch).CopyTo(_y);
        _ws.Features.CopyTo(_features);
        Remember(n);
        return _y;
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
