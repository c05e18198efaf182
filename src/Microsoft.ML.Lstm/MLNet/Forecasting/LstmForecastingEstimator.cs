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
        _options = options;
    }

    /// <summary>Reads the training rows, trains, and returns a transformer whose state sits at the end of them.</summary>
    public LstmForecastingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var (values, exo) = SeriesColumns.Read(input, o.InputColumnName, o.ExogenousColumnNames, o.TrainSize, () => HostServices.CheckAlive(_env));
        if (values.Length < o.TrainSize)
            throw new ArgumentException($"The series column '{o.InputColumnName}' has {values.Length} rows; TrainSize is {o.TrainSize}.", nameof(input));
        ulong seed = (ulong)(uint)(o.Seed ?? HostServices.Seed(_env) ?? Environment.TickCount);
        var modelOptions = o.ToModelOptions(seed);
        modelOptions.Log = line => HostServices.Info(_env, nameof(LstmForecastingEstimator), line);
        // MLContext.CancelExecution() has no event: poll it and cancel the training token.
        using var cancel = new CancellationTokenSource();
        using var poll = new Timer(_ => { if (HostServices.IsCanceled(_env)) cancel.Cancel(); }, null, 100, 100);
        LstmForecaster forecaster;
        try { forecaster = LstmForecaster.Train(values, modelOptions, exo, cancel.Token); }
        catch (OperationCanceledException) { HostServices.CheckAlive(_env); throw; }
        var engine = forecaster.CreateEngine(values, exo);
        return new LstmForecastingTransformer(ColumnsOf(o), forecaster, engine.GetState());
    }

    /// <summary>Checks the series and covariate columns and adds the forecast columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var name in _options.ExogenousColumnNames.Prepend(_options.InputColumnName))
        {
            var col = inputSchema.FirstOrDefault(c => c.Name == name);
            if (col.Name is null) throw new ArgumentException($"Column '{name}' not found in the input schema.", nameof(inputSchema));
            if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.ItemType != NumberDataViewType.Single || col.IsKey)
                throw new ArgumentException($"Column '{name}' has type {col.ItemType} ({col.Kind}); expected a Single scalar.", nameof(inputSchema));
        }
        return SchemaShapes.WithVectorColumns(inputSchema, ColumnsOf(_options).OutputNames);
    }

    private static ForecastColumns ColumnsOf(LstmForecastingOptions o) =>
        new(o.InputColumnName, o.ExogenousColumnNames.ToArray(), o.OutputColumnName, o.ConfidenceLowerBoundColumn, o.ConfidenceUpperBoundColumn, o.ConfidenceLevel);
}

/// <summary>Column names and the confidence level of a forecasting transformer.</summary>
/// <param name="Input">Series column.</param>
/// <param name="Exogenous">Covariate columns.</param>
/// <param name="Output">Forecast vector column.</param>
/// <param name="Lower">Lower-bound vector column, or null.</param>
/// <param name="Upper">Upper-bound vector column, or null.</param>
/// <param name="ConfidenceLevel">Coverage of the bounds.</param>
public sealed record ForecastColumns(string Input, string[] Exogenous, string Output, string? Lower, string? Upper, float ConfidenceLevel)
{
    /// <summary>The output columns in order: forecast, then the bounds that are set.</summary>
    public string[] OutputNames => new[] { Output, Lower, Upper }.OfType<string>().ToArray();
}
