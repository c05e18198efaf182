using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Trains an LSTM forecaster on the first <see cref="LstmForecastingOptions.TrainSize"/> rows of a series
/// column. Created by <c>mlContext.Forecasting.ForecastByLstm</c>.
/// </summary>
public sealed class LstmForecastingEstimator : IEstimator<LstmForecastingTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly LstmForecastingOptions _options;

    internal LstmForecastingEstimator(IHostEnvironment env, LstmForecastingOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>
    /// Reads the training rows, trains, and returns a transformer whose state sits at the end of them
    /// (of each series' first <see cref="LstmForecastingOptions.TrainSize"/> rows for a global model).
    /// </summary>
    public LstmForecastingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        bool global = o.SeriesKeyColumnName is not null;
        using var cancel = HostServices.Cancellation(_env);
        var (values, exo, keys) = SeriesColumns.Read(input, o.InputColumnName, o.ExogenousColumnNames, global ? long.MaxValue : o.TrainSize,
            cancel.ThrowIfCanceled, o.SeriesKeyColumnName);
        var (names, series, covariates) = global ? Split(values, exo, keys!, o) : ([], [values], [exo]);
        if (!global && values.Length < o.TrainSize)
            throw new ArgumentException($"The series column '{o.InputColumnName}' has {values.Length} rows; TrainSize is {o.TrainSize}.",
                nameof(input));
        ulong seed = HostServices.Seed(o.Seed, _env);
        var trained = o.Clone();
        trained.Seed = (int)(uint)seed;
        var modelOptions = o.ToSettings(seed);
        modelOptions.Log = line => HostServices.Info(_env, nameof(LstmForecastingEstimator), line);
        var model = LstmForecaster.TrainGlobal(series, modelOptions, covariates, cancel.Token);
        trained.SeasonalPeriod = model.Options.Model.SeasonalPeriod; // the period found when none was given
        trained.ExponentialSmoothingWeight = model.Options.Model.ExponentialSmoothingWeight; // the weight chosen on the holdout
        trained.AdditionalSeasonalPeriods = model.Options.Model.AdditionalSeasonalPeriods;
        var states = series.Select((y, j) => model.CreateEngine(j, y, covariates[j]).GetState()).ToArray();
        return new LstmForecastingTransformer(trained, model, names, states, model.Report!.History);
    }

    /// <summary>Groups rows by series key (in order of first appearance) and keeps each series' first TrainSize rows.</summary>
    private static (string[] Names, double[][] Series, double[][] Covariates) Split(double[] values,
        double[] exo, string[] keys, LstmForecastingOptions o)
    {
        int E = o.ExogenousColumnNames.Length;
        var rows = new Dictionary<string, List<int>>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (!rows.TryGetValue(keys[i], out var list)) rows[keys[i]] = list = [];
            list.Add(i);
        }
        if (rows.Count == 0)
            throw new ArgumentException($"The input has no rows; the series key column is '{o.SeriesKeyColumnName}'.", "input");
        foreach (var (key, list) in rows)
            if (list.Count < o.TrainSize)
                throw new ArgumentException(
                    $"Series '{key}' (column '{o.SeriesKeyColumnName}') has {list.Count} rows in '{o.InputColumnName}'; TrainSize is " +
                    $"{o.TrainSize} rows per series.",
                    "input");
        var train = rows.Values.Select(list => list.Take(o.TrainSize).ToArray()).ToArray();
        return ([.. rows.Keys],
            train.Select(r => r.Select(i => values[i]).ToArray()).ToArray(),
            train.Select(r => r.SelectMany(i => exo.AsSpan(i * E, E).ToArray()).ToArray()).ToArray());
    }

    /// <summary>Checks the series and covariate columns and adds the forecast columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var name in _options.ExogenousColumnNames.Prepend(_options.InputColumnName))
        {
            if (!SchemaChecks.TryFind(inputSchema, name, out var col))
                throw new ArgumentException($"Column '{name}' not found in the input schema.", nameof(inputSchema));
            if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.ItemType != NumberDataViewType.Single || col.IsKey)
                throw new ArgumentException($"Column '{name}' has type {col.ItemType} ({col.Kind}); expected a Single scalar.",
                    nameof(inputSchema));
        }
        if (_options.SeriesKeyColumnName is { } key)
        {
            if (!SchemaChecks.TryFind(inputSchema, key, out var col))
                throw new ArgumentException($"The series key column '{key}' was not found in the input schema.", nameof(inputSchema));
            if (col.Kind != SchemaShape.Column.VectorKind.Scalar || !(col.ItemType is TextDataViewType || col.IsKey))
                throw new ArgumentException($"The series key column '{key}' has type {col.ItemType} ({col.Kind}); expected text or a key.",
                    nameof(inputSchema));
        }
        return SchemaShapes.WithVectorColumns(inputSchema, ForecastColumns.Of(_options).OutputNames);
    }
}

/// <summary>Column names and the confidence level of a forecasting transformer.</summary>
/// <param name="Input">Series column.</param>
/// <param name="Exogenous">Covariate columns.</param>
/// <param name="Output">Forecast vector column.</param>
/// <param name="Lower">Lower-bound vector column, or null.</param>
/// <param name="Upper">Upper-bound vector column, or null.</param>
/// <param name="ConfidenceLevel">Coverage of the bounds.</param>
/// <param name="SeriesKey">Column naming each row's series for a global model, or null.</param>
internal sealed record ForecastColumns(string Input, string[] Exogenous, string Output,
    string? Lower, string? Upper, float ConfidenceLevel, string? SeriesKey = null)
{
    /// <summary>The output columns in order: forecast, then the bounds that are set.</summary>
    public string[] OutputNames => new[] { Output, Lower, Upper }.OfType<string>().ToArray();

    public static ForecastColumns Of(LstmForecastingOptions o) =>
        new(o.InputColumnName, [.. o.ExogenousColumnNames], o.OutputColumnName, o.ConfidenceLowerBoundColumn, o.ConfidenceUpperBoundColumn,
            o.ConfidenceLevel, o.SeriesKeyColumnName);
}
