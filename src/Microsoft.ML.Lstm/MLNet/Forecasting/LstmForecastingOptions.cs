using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Settings of <c>mlContext.Forecasting.ForecastByLstm</c>, named after <c>ForecastBySsa</c>'s. The
/// column and window settings live here; the model's own settings (hidden size, layers, epochs, log
/// transform, seasonal period, ensemble size, ...) live in <see cref="Model"/>, whose horizon, window,
/// confidence level and exogenous count are taken from this object.
/// </summary>
public sealed class LstmForecastingOptions
{
    /// <summary>Output column: a vector of <see cref="Horizon"/> forecasts.</summary>
    public string OutputColumnName { get; set; } = "Forecast";

    /// <summary>The series: a Single column, one value per row, in time order.</summary>
    public string InputColumnName { get; set; } = "Value";

    /// <summary>Steps of history each training sequence is scored on (the BPTT window).</summary>
    public int WindowSize { get; set; } = 48;

    /// <summary>
    /// Length of each training sequence: <see cref="WindowSize"/> scored steps after
    /// <c>SeriesLength − WindowSize</c> warm-up steps that only build up the LSTM state. Must be ≥ WindowSize.
    /// </summary>
    public int SeriesLength { get; set; } = 96;

    /// <summary>
    /// Number of leading rows trained on; the model's state then sits at the end of them. With
    /// <see cref="SeriesKeyColumnName"/>, the number of leading rows of every series.
    /// </summary>
    public int TrainSize { get; set; }

    /// <summary>Steps forecast from every point.</summary>
    public int Horizon { get; set; } = 12;

    /// <summary>Coverage of the interval in the bound columns, in (0, 1).</summary>
    public float ConfidenceLevel { get; set; } = 0.95f;

    /// <summary>Column for the lower bounds (vector of Horizon), or null for none.</summary>
    public string? ConfidenceLowerBoundColumn { get; set; }

    /// <summary>Column for the upper bounds (vector of Horizon), or null for none.</summary>
    public string? ConfidenceUpperBoundColumn { get; set; }

    /// <summary>
    /// Known covariates: Single columns read at every row. For forecast steps whose covariates are not
    /// given (Transform, or an engine Predict without future rows), the last observed values are held.
    /// </summary>
    public string[] ExogenousColumnNames { get; set; } = [];

    /// <summary>
    /// For a global model over many series: a text or key column naming the series of each row. The rows
    /// of every series are in time order (series may be interleaved); one model with per-series scaling is
    /// trained on the first <see cref="TrainSize"/> rows of each series, and Transform forecasts each row
    /// from its own series' state. Null (default): the whole column is one series.
    /// </summary>
    public string? SeriesKeyColumnName { get; set; }

    /// <summary>Seed; null uses the MLContext's seed.</summary>
    public int? Seed { get; set; }

    /// <summary>The model's settings (see <see cref="LstmForecasterOptions"/>).</summary>
    public LstmForecasterOptions Model { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName)) throw new ArgumentException("OutputColumnName must be set.", nameof(OutputColumnName));
        if (string.IsNullOrWhiteSpace(InputColumnName)) throw new ArgumentException("InputColumnName must be set.", nameof(InputColumnName));
        if (WindowSize < 2) throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "WindowSize must be at least 2.");
        if (SeriesLength < WindowSize) throw new ArgumentOutOfRangeException(nameof(SeriesLength), SeriesLength, $"SeriesLength must be at least WindowSize ({WindowSize}).");
        if (Horizon < 1) throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "Horizon must be positive.");
        if (TrainSize < SeriesLength + Horizon) throw new ArgumentOutOfRangeException(nameof(TrainSize), TrainSize, $"TrainSize must be at least SeriesLength + Horizon ({SeriesLength + Horizon}).");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1)) throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "ConfidenceLevel must be in (0, 1).");
        ArgumentNullException.ThrowIfNull(ExogenousColumnNames, nameof(ExogenousColumnNames));
        ArgumentNullException.ThrowIfNull(Model, nameof(Model));
        if (SeriesKeyColumnName is { } key && (string.IsNullOrWhiteSpace(key) || key == InputColumnName || ExogenousColumnNames.Contains(key)))
            throw new ArgumentException("SeriesKeyColumnName must be a non-empty name other than the series and covariate columns.", nameof(SeriesKeyColumnName));
        foreach (var n in ExogenousColumnNames)
            if (string.IsNullOrWhiteSpace(n)) throw new ArgumentException("ExogenousColumnNames holds an empty name.", nameof(ExogenousColumnNames));
        ToModelOptions(0).Validate();
    }

    internal LstmForecasterOptions ToModelOptions(ulong seed)
    {
        var m = Model.Clone();
        m.Horizon = Horizon;
        m.WindowSize = WindowSize;
        m.WarmupSteps = SeriesLength - WindowSize;
        m.ConfidenceLevels = [ConfidenceLevel];
        m.ExogenousCount = ExogenousColumnNames.Length;
        m.Seed = seed;
        return m;
    }
}
