using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>The input rows with forecast columns; one sequential cursor at a time carries the state.</summary>
internal sealed class ForecastDataView(LstmForecastingTransformer parent, IDataView input, DataViewSchema schema) : IDataView
{
    public bool CanShuffle => false;
    public DataViewSchema Schema => schema;
    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = columnsNeeded.Select(c => c.Index).ToHashSet();
        int first = input.Schema.Count;
        bool forecasts = active.Any(i => i >= first);
        var needed = active.Where(i => i < first).Select(i => input.Schema[i]).ToList();
        var c = parent.Columns;
        if (forecasts)
            needed.AddRange(c.Exogenous.Prepend(c.Input).Concat(c.SeriesKey is null ? [] : [c.SeriesKey]).Select(n => input.Schema[n]));
        var cursor = input.GetRowCursor(needed.Distinct());
        return new ForecastCursor(parent, cursor, schema, forecasts ? active : []);
    }

    // Rows depend on all rows before them, so the data is never split across cursors.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

/// <summary>
/// Advances a <see cref="ForecastEngine"/> by the observation of every row it moves to: the row's series'
/// engine for a global model (each created at its series' saved state when the series first appears).
/// </summary>
internal sealed class ForecastCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly DataViewSchema _schema;
    private readonly HashSet<int> _active;
    private readonly LstmForecastingTransformer _parent;
    private readonly ForecastEngine?[] _engines = [];
    private readonly Func<string>? _readKey;
    private readonly ValueGetter<float>[] _getters = [];
    private readonly double[] _exogenous, _held;
    private readonly string[] _names;
    private readonly float _level;
    private readonly string? _lower;
    private ForecastResult? _result;

    public ForecastCursor(LstmForecastingTransformer parent, DataViewRowCursor input, DataViewSchema schema, HashSet<int> active)
    {
        _input = input;
        _schema = schema;
        _active = active;
        var c = parent.Columns;
        _names = c.Exogenous.Prepend(c.Input).ToArray();
        _exogenous = new double[c.Exogenous.Length];
        _held = new double[c.Exogenous.Length * parent.Forecaster.Horizon];
        _level = c.ConfidenceLevel;
        _lower = c.Lower;
        _parent = parent;
        if (active.Count == 0) return;
        _engines = new ForecastEngine?[parent.Model.SeriesCount];
        if (c.SeriesKey is not null) _readKey = SeriesKeyColumn.Reader(input, input.Schema[c.SeriesKey]);
        _getters = _names.Select(n => input.GetGetter<float>(input.Schema[n])).ToArray();
    }

    public override DataViewSchema Schema => _schema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index >= _input.Schema.Count ? _active.Contains(column.Index) : _input.IsColumnActive(column);

    public override bool MoveNext()
    {
        if (!_input.MoveNext()) return false;
        if (_engines.Length == 0) return true;
        int series = _parent.SeriesIndex(_readKey?.Invoke());
        var engine = _engines[series] ??= _parent.CreateEngine(series);
        float v = 0;
        double value = 0;
        for (int j = 0; j < _getters.Length; j++)
        {
            _getters[j](ref v);
            RowChecks.SeriesValue(v, _names[j], _input.Position);
            if (j == 0) value = v; else _exogenous[j - 1] = v;
        }
        try { engine.Update(value, _exogenous); }
        catch (ArgumentException e) when (e.ParamName == "observation")
        {
            throw new ArgumentException($"Series column '{_names[0]}', row {_input.Position}: {RowChecks.WithoutParameter(e)}", "input",
                e);
        }
        HoldCovariates(_exogenous, _held);
        _result = engine.Forecast(null, _held);
        return true;
    }

    /// <summary>Future covariates unknown inside a cursor: every forecast step holds the last observed values.</summary>
    internal static void HoldCovariates(ReadOnlySpan<double> last, Span<double> future)
    {
        if (last.Length == 0) return;
        for (int h = 0; h < future.Length / last.Length; h++) last.CopyTo(future.Slice(h * last.Length, last.Length));
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int first = _input.Schema.Count;
        if (column.Index < first) return _input.GetGetter<TValue>(column);
        if (!_active.Contains(column.Index)) throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
        int which = column.Index - first; // 0 forecast, then the bounds in ForecastColumns.OutputNames order
        string name = _schema[column.Index].Name;
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
        {
            var r = _result ?? throw new InvalidOperationException("Call MoveNext before reading a forecast.");
            double[] src = which == 0 ? r.Point : name == _lower ? r.Lower(_level) : r.Upper(_level);
            var editor = VBufferEditor.Create(ref dst, src.Length);
            for (int i = 0; i < src.Length; i++) editor.Values[i] = (float)src[i];
            dst = editor.Commit();
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is a vector of Single; a getter of {typeof(TValue).Name} was requested.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
