using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The input data with the LSTM's output columns (or a featurizer's encoding column) appended; scored lazily, cursor by
/// cursor.
/// </summary>
internal sealed class LstmDataView : IDataView
{
    private readonly IDataView _input;
    private readonly LstmModelParameters _model;
    private readonly OutputColumns _columns;

    public LstmDataView(LstmModelParameters model, IDataView input, string? featuresColumn = null, LstmModelParameters? backward = null)
    {
        _model = model;
        _input = input;
        _columns = new OutputColumns(model, input.Schema, featuresColumn, backward);
    }

    public bool CanShuffle => _input.CanShuffle;
    public DataViewSchema Schema => _columns.OutputSchema;
    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = columnsNeeded.ToArray();
        var input = _input.GetRowCursor(_columns.Dependencies(active), rand);
        return new LstmCursor(new RowBinding(_model, _columns, input, active), input);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var active = columnsNeeded.ToArray();
        return _input.GetRowCursorSet(_columns.Dependencies(active), n, rand)
            .Select(c => (DataViewRowCursor)new LstmCursor(new RowBinding(_model, _columns, c, active), c))
            .ToArray();
    }
}

/// <summary>Row-to-row mapping for PredictionEngine and transformer chains.</summary>
internal sealed class LstmRowMapper : IRowToRowMapper
{
    private readonly LstmModelParameters _model;
    private readonly OutputColumns _columns;

    public LstmRowMapper(LstmModelParameters model, DataViewSchema input, string? featuresColumn = null,
        LstmModelParameters? backward = null)
    {
        _model = model;
        _columns = new OutputColumns(model, input, featuresColumn, backward);
    }

    public DataViewSchema InputSchema => _columns.InputSchema;
    public DataViewSchema OutputSchema => _columns.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _columns.Dependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema != InputSchema)
            throw new ArgumentException("The row's schema differs from the mapper's input schema.", nameof(input));
        return new LstmCursor(new RowBinding(_model, _columns, input, activeColumns), input);
    }
}
