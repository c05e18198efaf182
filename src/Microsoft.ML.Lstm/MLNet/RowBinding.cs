using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Maps the columns of an output row onto an input row: input columns pass through, appended columns
/// come from a <see cref="RowScorer"/> owned by this row.
/// </summary>
internal sealed class RowBinding
{
    private readonly OutputColumns _columns;
    private readonly DataViewRow _input;
    private readonly Delegate?[] _getters;

    public RowBinding(LstmModelParameters model, OutputColumns columns, DataViewRow input, IEnumerable<DataViewSchema.Column> active)
    {
        _columns = columns;
        _input = input;
        _getters = new Delegate?[columns.OutputSchema.Count];
        RowScorer? scorer = null;
        foreach (var c in active)
        {
            if (!columns.IsOutput(c.Index)) continue;
            scorer ??= new RowScorer(model, input, columns.Backward);
            _getters[c.Index] = columns.Getter(c.Index, scorer);
        }
    }

    public DataViewSchema Schema => _columns.OutputSchema;

    public bool IsColumnActive(DataViewSchema.Column column) =>
        _columns.IsOutput(column.Index) ? _getters[column.Index] is not null : _input.IsColumnActive(_columns.InputSchema[column.Index]);

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column index {column.Index} is not in the schema.");
        if (!_columns.IsOutput(column.Index)) return _input.GetGetter<TValue>(_columns.InputSchema[column.Index]);
        var g = _getters[column.Index] ?? throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
        return g as ValueGetter<TValue>
            ?? throw new InvalidOperationException(
                $"Column '{column.Name}' has type {Schema[column.Index].Type}; a getter of {typeof(TValue).Name} was requested.");
    }
}

/// <summary>
/// An output row over an input row (PredictionEngine path) or an output cursor over an input cursor
/// (Transform path): a cursor is a row, so one type serves both.
/// </summary>
internal sealed class LstmCursor : DataViewRowCursor
{
    private readonly DataViewRow _input;
    private readonly RowBinding _binding;

    public LstmCursor(RowBinding binding, DataViewRow input) { _binding = binding; _input = input; }

    public override DataViewSchema Schema => _binding.Schema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _binding.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _binding.GetGetter<TValue>(column);

    public override bool MoveNext() => _input is DataViewRowCursor cursor
        ? cursor.MoveNext()
        : throw new InvalidOperationException("This row maps a single input row; it cannot move.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
