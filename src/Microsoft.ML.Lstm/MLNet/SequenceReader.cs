using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads the sequence of the current row of a feature column, for training and scoring alike: float
/// features (dense or sparse) or key-typed token ids, into buffers reused from row to row (they grow to
/// the longest sequence seen), checked by <see cref="RowChecks"/>.
/// </summary>
internal sealed class SequenceReader
{
    private readonly DataViewRow _row;
    private readonly string _column;
    private readonly int _featuresPerStep, _keyCount;
    private readonly ValueGetter<VBuffer<float>>? _floats;
    private readonly KeyVectorReader.Reader? _keys;
    private VBuffer<float> _buffer;
    private float[] _features = [];
    private int[] _tokens = [];

    /// <param name="row">The row or cursor to read from.</param>
    /// <param name="column">The feature column.</param>
    /// <param name="featuresPerStep">Values per step of float features.</param>
    /// <param name="keyCount">Key count of token features; 0 for float features.</param>
    public SequenceReader(DataViewRow row, DataViewSchema.Column column, int featuresPerStep, int keyCount)
    {
        (_row, _column, _featuresPerStep, _keyCount) = (row, column.Name, featuresPerStep, keyCount);
        if (keyCount > 0) _keys = KeyVectorReader.Create(row, column);
        else _floats = row.GetGetter<VBuffer<float>>(column);
    }

    /// <summary>Whether the column holds token ids.</summary>
    public bool IsTokens => _keys is not null;

    /// <summary>Float features of the last <see cref="Read"/>: its first Length·F values.</summary>
    public float[] Features => _features;

    /// <summary>Token ids of the last <see cref="Read"/>: its first Length values.</summary>
    public int[] Tokens => _tokens;

    /// <summary>Reads and checks the current row; returns its number of values (ids, or features: Length·F).</summary>
    public int Read()
    {
        if (_keys is not null)
        {
            int ids = _keys(ref _tokens);
            RowChecks.Tokens(_tokens.AsSpan(0, ids), _keyCount, _column, _row.Position);
            return ids;
        }
        _floats!(ref _buffer);
        int n = _buffer.Length;
        if (_features.Length < n) _features = new float[n];
        var x = _features.AsSpan(0, n);
        var values = _buffer.GetValues();
        if (_buffer.IsDense) values.CopyTo(x);
        else
        {
            x.Clear();
            var indices = _buffer.GetIndices();
            for (int k = 0; k < values.Length; k++) x[indices[k]] = values[k];
        }
        RowChecks.Features(x, _featuresPerStep, _column, _row.Position);
        return n;
    }
}
