using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Scores one row at a time for one cursor or row (not thread-safe; each cursor owns one). Reads the
/// feature column, runs the network on a batch of one, and keeps the result while the features stay the
/// same, so several output columns of one row cost one forward pass. Once buffers have grown to the
/// longest sequence seen, scoring a row allocates nothing: the batch object, its inputs and the workspace
/// are reused, and a batch of one runs on the calling thread.
/// </summary>
internal sealed class RowScorer
{
    private readonly LstmModelParameters _model;
    private readonly LstmWorkspace<float> _ws;
    private readonly ValueGetter<VBuffer<float>>? _floatGetter;
    private readonly KeyVectorReader.Reader? _keyReader;
    private readonly Func<long> _position;
    private readonly string _column;
    private VBuffer<float> _fbuf;
    private float[] _x = [], _lastX = [];
    private int[] _tokens = [], _lastTokens = [];
    private int _lastLength = -1;
    private readonly float[] _y;
    private readonly SequenceBatch<float> _batch = new(1, 1, 1, null);

    public RowScorer(LstmModelParameters model, DataViewRow input)
    {
        _model = model;
        _ws = model.Network.CreateWorkspace();
        _column = model.FeatureColumnName;
        var col = input.Schema[_column];
        if (model.IsTokenInput) _keyReader = KeyVectorReader.Create(input, col);
        else _floatGetter = input.GetGetter<VBuffer<float>>(col);
        _position = () => input.Position;
        _y = new float[model.OutputSize];
    }

    /// <summary>Raw head outputs (logits / regression values) of the current row.</summary>
    public ReadOnlySpan<float> Score()
    {
        int len = _model.IsTokenInput ? ReadTokens() : ReadFeatures();
        if (len == _lastLength && Same(len)) return _y;
        if (_model.IsTokenInput) _batch.Reset(len, 1, 1, null, _tokens);
        else _batch.Reset(len, 1, _model.FeaturesPerStep, _x);
        _model.Network.Forward(_ws, _batch).CopyTo(_y);
        Remember(len);
        return _y;
    }

    private int ReadFeatures()
    {
        _floatGetter!(ref _fbuf);
        int n = _fbuf.Length, F = _model.FeaturesPerStep;
        if (n == 0) throw new InvalidOperationException($"Feature column '{_column}', row {_position()}: the sequence is empty.");
        if (n % F != 0) throw new InvalidOperationException($"Feature column '{_column}', row {_position()}: {n} values is not a multiple of FeaturesPerStep = {F}.");
        if (_x.Length < n) _x = new float[n];
        var x = _x.AsSpan(0, n);
        var values = _fbuf.GetValues();
        if (_fbuf.IsDense) values.CopyTo(x);
        else
        {
            x.Clear();
            var indices = _fbuf.GetIndices();
            for (int k = 0; k < values.Length; k++) x[indices[k]] = values[k];
        }
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(x[i])) throw new InvalidOperationException($"Feature column '{_column}', row {_position()}: value {i} is {x[i]}; features must be finite.");
        return n / F;
    }

    private int ReadTokens()
    {
        int n = _keyReader!(ref _tokens);
        if (n == 0) throw new InvalidOperationException($"Feature column '{_column}', row {_position()}: the sequence is empty.");
        for (int i = 0; i < n; i++)
            if (_tokens[i] > _model.TokenKeyCount) throw new InvalidOperationException($"Feature column '{_column}', row {_position()}: key {_tokens[i]} exceeds the key count {_model.TokenKeyCount}.");
        return n;
    }

    private bool Same(int len) => _model.IsTokenInput
        ? _tokens.AsSpan(0, len).SequenceEqual(_lastTokens.AsSpan(0, len))
        : _x.AsSpan(0, len * _model.FeaturesPerStep).SequenceEqual(_lastX.AsSpan(0, len * _model.FeaturesPerStep));

    private void Remember(int len)
    {
        _lastLength = len;
        if (_model.IsTokenInput)
        {
            if (_lastTokens.Length < len) _lastTokens = new int[_tokens.Length];
            _tokens.AsSpan(0, len).CopyTo(_lastTokens);
        }
        else
        {
            int n = len * _model.FeaturesPerStep;
            if (_lastX.Length < n) _lastX = new float[_x.Length];
            _x.AsSpan(0, n).CopyTo(_lastX);
        }
    }
}
