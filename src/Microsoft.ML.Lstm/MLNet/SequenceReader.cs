using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads the sequence of the current row of a feature column, for training and scoring alike: float
/// features (dense or sparse), key-typed token ids, or words (text) as <see cref="WordFeatures"/> ids, into buffers
/// reused from row to row (they grow to the longest sequence seen), checked by <see cref="RowChecks"/>.
/// </summary>
internal sealed class SequenceReader
{
    private readonly DataViewRow _row;
    private readonly string _column;
    private readonly int _featuresPerStep, _keyCount;
    private readonly ValueGetter<VBuffer<float>>? _floats;
    private readonly KeyVectorReader.Reader? _keys;
    private readonly ValueGetter<VBuffer<ReadOnlyMemory<char>>>? _text;
    private readonly WordFeatures? _words;
    private VBuffer<float> _buffer;
    private VBuffer<ReadOnlyMemory<char>> _textBuffer;
    private float[] _features = [];
    private int[] _tokens = [];

    /// <param name="row">The row or cursor to read from.</param>
    /// <param name="column">The feature column.</param>
    /// <param name="featuresPerStep">Values per step of float features.</param>
    /// <param name="keyCount">Key count of token features; 0 for float features.</param>
    /// <param name="words">The vocabulary of a text column (one word per step); null otherwise.</param>
    public SequenceReader(DataViewRow row, DataViewSchema.Column column, int featuresPerStep, int keyCount, WordFeatures? words = null)
    {
        (_row, _column, _featuresPerStep, _keyCount, _words) = (row, column.Name, featuresPerStep, keyCount, words);
        if (words is not null) _text = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        else if (keyCount > 0) _keys = KeyVectorReader.Create(row, column);
        else _floats = row.GetGetter<VBuffer<float>>(column);
    }

    /// <summary>Whether the column holds token ids (keys, or words read as ids).</summary>
    public bool IsTokens => _keys is not null || _text is not null;

    /// <summary>Reads the current row's words (a text column only), for building a vocabulary before any id exists.</summary>
    public static IEnumerable<string> Words(DataViewRowCursor cursor, DataViewSchema.Column column, Action? checkAlive)
    {
        var get = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> buffer = default;
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 1023) == 0) checkAlive?.Invoke();
            get(ref buffer);
            foreach (var w in buffer.DenseValues()) yield return w.ToString();
        }
    }

    /// <summary>Float features of the last <see cref="Read"/>: its first Length·F values.</summary>
    public float[] Features => _features;

    /// <summary>Token ids of the last <see cref="Read"/>: its first Length·K values (K ids per step).</summary>
    public int[] Tokens => _tokens;

    /// <summary>Reads and checks the current row; returns its number of values (ids, or features: Length·F).</summary>
    public int Read()
    {
        if (_text is not null)
        {
            _text(ref _textBuffer);
            int words = _textBuffer.Length, K = WordFeatures.Slots;
            if (words == 0) RowChecks.Tokens([], 0, _column, _row.Position);
            if (_tokens.Length < words * K) _tokens = new int[words * K];
            int t = 0;
            foreach (var w in _textBuffer.DenseValues()) _words!.Encode(w.Span, _tokens.AsSpan(K * t++, K));
            return words * K;
        }
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
