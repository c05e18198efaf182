using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads a series (and its covariates) from Single columns of an <see cref="IDataView"/>, naming the column and row on errors.
/// </summary>
internal static class SeriesColumns
{
    /// <summary>Checks that every named column exists and is a Single scalar.</summary>
    public static void Check(DataViewSchema schema, string series, IReadOnlyList<string> exogenous)
    {
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var (name, role) in exogenous.Select(e => (e, "exogenous")).Prepend((series, "series")))
        {
            var col = schema.GetColumnOrNull(name)
                ?? throw new ArgumentException($"The {role} column '{name}' was not found in the input data.", nameof(schema));
            if (col.Type != NumberDataViewType.Single)
                throw new ArgumentException(
                    $"The {role} column '{name}' has type {col.Type}; expected Single (one value per row, in time order).",
                    nameof(schema));
        }
    }

    /// <summary>
    /// The first <paramref name="maxRows"/> rows: values [N] and covariates [N × E], and with a
    /// <paramref name="seriesKey"/> column the series key of every row (see <see cref="SeriesKeyColumn"/>).
    /// </summary>
    /// <remarks>
    /// The float columns widen to double here, once: the preprocessing (log or Box–Cox, differences against values a
    /// season back, scaling) runs in double because a difference of two large levels loses digits in float; only the
    /// standardized network inputs and targets go back to float, where the network computes.
    /// </remarks>
    public static (double[] Values, double[] Exogenous, string[]? Keys) Read(IDataView data,
        string series, IReadOnlyList<string> exogenous, long maxRows,
        Action? checkAlive = null, string? seriesKey = null)
    {
        Check(data.Schema, series, exogenous);
        if (seriesKey is not null) SeriesKeyColumn.Check(data.Schema, seriesKey);
        var cols = exogenous.Select(n => data.Schema[n]).Prepend(data.Schema[series]).ToArray();
        using var cursor = data.GetRowCursor(seriesKey is null ? cols : cols.Append(data.Schema[seriesKey]));
        var getters = cols.Select(c => cursor.GetGetter<float>(c)).ToArray();
        var readKey = seriesKey is null ? null : SeriesKeyColumn.Reader(cursor, data.Schema[seriesKey]);
        var values = new List<double>();
        var exo = new List<double>();
        var keys = new List<string>();
        float v = 0;
        while (values.Count < maxRows && cursor.MoveNext())
        {
            if ((values.Count & 4095) == 0) checkAlive?.Invoke();
            if (readKey is not null) keys.Add(readKey());
            long row = values.Count;   // before this row's value is added: a covariate's error names the same row
            for (int j = 0; j < getters.Length; j++)
            {
                getters[j](ref v);
                RowChecks.SeriesValue(v, cols[j].Name, row);
                if (j == 0) values.Add(v); else exo.Add(v);
            }
        }
        return (values.ToArray(), exo.ToArray(), seriesKey is null ? null : keys.ToArray());
    }
}
