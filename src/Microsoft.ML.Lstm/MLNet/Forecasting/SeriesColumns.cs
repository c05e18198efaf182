using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>Reads a series (and its covariates) from Single columns of an <see cref="IDataView"/>, naming the column and row on errors.</summary>
internal static class SeriesColumns
{
    /// <summary>Checks that every named column exists and is a Single scalar.</summary>
    public static void Check(DataViewSchema schema, string series, IReadOnlyList<string> exogenous)
    {
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var (name, role) in exogenous.Select(e => (e, "exogenous")).Prepend((series, "series")))
        {
            var col = schema.GetColumnOrNull(name) ?? throw new ArgumentException($"The {role} column '{name}' was not found in the input data.", nameof(schema));
            if (col.Type != NumberDataViewType.Single)
                throw new ArgumentException($"The {role} column '{name}' has type {col.Type}; expected Single (one value per row, in time order).", nameof(schema));
        }
    }

    /// <summary>The first <paramref name="maxRows"/> rows: values [N] and covariates [N × E].</summary>
    public static (double[] Values, double[] Exogenous) Read(IDataView data, string series, IReadOnlyList<string> exogenous, long maxRows, Action? checkAlive = null)
    {
        Check(data.Schema, series, exogenous);
        var cols = exogenous.Select(n => data.Schema[n]).Prepend(data.Schema[series]).ToArray();
        using var cursor = data.GetRowCursor(cols);
        var getters = cols.Select(c => cursor.GetGetter<float>(c)).ToArray();
        var values = new List<double>();
        var exo = new List<double>();
        float v = 0;
        while (values.Count < maxRows && cursor.MoveNext())
        {
            if ((values.Count & 4095) == 0) checkAlive?.Invoke();
            for (int j = 0; j < getters.Length; j++)
            {
                getters[j](ref v);
                if (!float.IsFinite(v)) throw new ArgumentException($"Column '{cols[j].Name}', row {values.Count}: the value is {v}; the series and covariates must be finite (fill gaps first).", nameof(data));
                if (j == 0) values.Add(v); else exo.Add(v);
            }
        }
        return (values.ToArray(), exo.ToArray());
    }
}
