using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>The input schema plus the bits-per-token column of a language model, and which input column it reads.</summary>
internal sealed class LanguageModelColumns
{
    public LanguageModelColumns(LstmLanguageModelTransformer model, DataViewSchema input)
    {
        Model = model;
        InputSchema = input;
        Text = TextColumn.Find(input, model.InputColumnName);
        var b = new DataViewSchema.Builder();
        b.AddColumns(input);
        b.AddColumn(model.OutputColumnName, NumberDataViewType.Single);
        OutputSchema = b.ToSchema();
    }

    public LstmLanguageModelTransformer Model { get; }
    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }
    public DataViewSchema.Column Text { get; }

    /// <summary>Index of the appended column.</summary>
    public int Output => InputSchema.Count;

    /// <summary>The input columns needed to serve <paramref name="active"/> output columns.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> active)
    {
        var needed = active.Where(c => c.Index < Output).Select(c => InputSchema[c.Index]).ToList();
        if (active.Any(c => c.Index == Output)) needed.Add(Text);
        return needed.Distinct();
    }
}

/// <summary>The input data with each row's bits per token appended; scored lazily, row by row.</summary>
internal sealed class LanguageModelDataView(LanguageModelColumns columns, IDataView input) : IDataView
{
    public bool CanShuffle => input.CanShuffle;
    public DataViewSchema Schema => columns.OutputSchema;
    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = columnsNeeded.ToArray();
        return new LanguageModelCursor(columns, input.GetRowCursor(columns.Dependencies(active), rand), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var active = columnsNeeded.ToArray();
        return [.. input.GetRowCursorSet(columns.Dependencies(active), n, rand).Select(c => new LanguageModelCursor(columns, c, active))];
    }
}

/// <summary>Row-to-row mapping for PredictionEngine and transformer chains.</summary>
internal sealed class LanguageModelRowMapper(LanguageModelColumns columns) : IRowToRowMapper
{
    public DataViewSchema InputSchema => columns.InputSchema;
    public DataViewSchema OutputSchema => columns.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        columns.Dependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema != InputSchema)
            throw new ArgumentException("The row's schema differs from the mapper's input schema.", nameof(input));
        return new LanguageModelCursor(columns, input, activeColumns);
    }
}

/// <summary>A row (or cursor) of the input with the bits per token of its text, computed once per row when read.</summary>
internal sealed class LanguageModelCursor : DataViewRowCursor
{
    private readonly LanguageModelColumns _columns;
    private readonly DataViewRow _input;
    private readonly bool _scored;
    private readonly ValueGetter<ReadOnlyMemory<char>>? _text;
    private long _cachedPosition = -1;
    private float _cached;

    public LanguageModelCursor(LanguageModelColumns columns, DataViewRow input, IEnumerable<DataViewSchema.Column> active)
    {
        (_columns, _input) = (columns, input);
        _scored = active.Any(c => c.Index == columns.Output);
        if (_scored) _text = input.GetGetter<ReadOnlyMemory<char>>(columns.Text);
    }

    public override DataViewSchema Schema => _columns.OutputSchema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == _columns.Output ? _scored : _input.IsColumnActive(_columns.InputSchema[column.Index]);

    public override bool MoveNext() => _input is DataViewRowCursor cursor
        ? cursor.MoveNext()
        : throw new InvalidOperationException("This row maps a single input row; it cannot move.");

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _columns.Output) return _input.GetGetter<TValue>(_columns.InputSchema[column.Index]);
        if (!_scored) throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
        ValueGetter<float> getter = (ref float value) =>
        {
            if (_cachedPosition != _input.Position || _input is not DataViewRowCursor)
            {
                ReadOnlyMemory<char> text = default;
                _text!(ref text);
                var row = _columns.Model.Score(TextColumn.Checked(text, _columns.Text.Name, _input.Position), _columns.Text.Name,
                    _input.Position);
                _cached = (float)(row.Bits / row.Tokens);
                _cachedPosition = _input.Position;
            }
            value = _cached;
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is Single; a getter of {typeof(TValue).Name} was requested.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
