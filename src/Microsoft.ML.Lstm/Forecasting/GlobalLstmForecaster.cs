namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// A global forecasting model: one ensemble of LSTM networks trained on windows from many series, each
/// series with its own <see cref="SeriesTransform"/> (log, scale, drift, level), so the networks see
/// every series in its own units and forecasts come back in each series' scale. All series share the
/// network input layout and the interval calibration (pooled over the series' holdouts, in units of each
/// series' scale). Series j forecasts and streams exactly like a single-series model:
/// <see cref="ForSeries"/> is an <see cref="LstmForecaster"/> over the shared networks with series j's transform.
/// </summary>
/// <example>
/// <code>
/// var model = LstmForecaster.TrainGlobal([storeA, storeB, storeC],
///     new ForecasterSettings { Model = { Horizon = 12, SeasonalPeriod = 12 } });
/// var engine = model.CreateEngine(1, storeB);  // series 1
/// ForecastResult f = engine.Forecast();
/// engine.Update(newValueOfStoreB);
/// </code>
/// </example>
internal sealed class GlobalLstmForecaster
{
    private readonly LstmForecaster[] _series;

    internal GlobalLstmForecaster(ForecasterSettings options, IReadOnlyList<SeriesTransform> transforms,
        IReadOnlyList<SmoothingBaseline> smoothing, ForecastNetwork[] members, IntervalCalibration calibration,
        ForecastTrainingReport? report)
    {
        _series = transforms.Select((t, j) => new LstmForecaster(options, t, smoothing[j], members, calibration, report)).ToArray();
        Options = options;
        Calibration = calibration;
        Report = report;
    }

    /// <summary>The settings the model was trained with.</summary>
    public ForecasterSettings Options { get; }

    /// <summary>Interval offsets from the pooled holdouts (in units of each series' scale).</summary>
    public IntervalCalibration Calibration { get; }

    /// <summary>How training went (null for a model rebuilt from data); its holdout length is summed over series.</summary>
    public ForecastTrainingReport? Report { get; }

    /// <summary>Number of ensemble members.</summary>
    public int MemberCount => _series[0].Members.Length;

    /// <summary>Number of series the model was trained on.</summary>
    public int SeriesCount => _series.Length;

    /// <summary>Per series, its preprocessing parameters.</summary>
    public IReadOnlyList<SeriesTransform> Transforms => _series.Select(s => s.Transform).ToArray();

    /// <summary>H, the steps forecast from every origin.</summary>
    public int Horizon => Options.Horizon;

    /// <summary>The quantile levels the networks predict, ascending.</summary>
    public IReadOnlyList<double> QuantileLevels => _series[0].QuantileLevels;

    /// <summary>Series <paramref name="seriesIndex"/>'s view of the model: the shared networks with its transform.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such series.</exception>
    public LstmForecaster ForSeries(int seriesIndex)
    {
        if (seriesIndex < 0 || seriesIndex >= _series.Length)
            throw new ArgumentOutOfRangeException(nameof(seriesIndex), seriesIndex, $"The model knows series 0 … {_series.Length - 1}.");
        return _series[seriesIndex];
    }

    /// <summary>
    /// An engine for series <paramref name="seriesIndex"/> that has run over
    /// <paramref name="history"/> (from its first value) and forecasts from its end.
    /// </summary>
    /// <param name="seriesIndex">Which series (its index in training).</param>
    /// <param name="history">The series' history, more than ℓ values.</param>
    /// <param name="exogenous">Its covariates [N × E], row-major.</param>
    /// <exception cref="ArgumentException">No such series, or the history or covariates do not fit (see
    /// <see cref="LstmForecaster.CreateEngine"/>).</exception>
    public ForecastEngine CreateEngine(int seriesIndex, ReadOnlySpan<double> history, ReadOnlySpan<double> exogenous = default) =>
        ForSeries(seriesIndex).CreateEngine(history, exogenous);

    /// <summary>An engine for series <paramref name="seriesIndex"/> that continues from a saved state.</summary>
    /// <exception cref="ArgumentException">No such series, or the state does not fit.</exception>
    public ForecastEngine RestoreEngine(int seriesIndex, ForecastEngineState state) => ForSeries(seriesIndex).RestoreEngine(state);

    /// <summary>The model as plain values (see <see cref="GlobalLstmForecasterData"/>).</summary>
    public GlobalLstmForecasterData ToData() => new(_series[0].ToData(), [.. Transforms], [.. _series.Select(s => s.Smoothing)]);

    /// <summary>Rebuilds a model from <see cref="ToData"/>'s values.</summary>
    /// <exception cref="ArgumentException">The values are inconsistent with each other.</exception>
    public static GlobalLstmForecaster FromData(GlobalLstmForecasterData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Shared, nameof(data.Shared));
        var shared = LstmForecaster.FromData(data.Shared);
        if (data.Transforms is not { Length: > 0 })
            throw new ArgumentException("Transforms must hold one transform per series (at least one).", nameof(data));
        for (int j = 0; j < data.Transforms.Length; j++)
        {
            var t = data.Transforms[j] ?? throw new ArgumentException($"Transforms[{j}] is null.", nameof(data));
            if (t.InputSize != shared.Transform.InputSize || t.ExogenousCount != shared.Transform.ExogenousCount)
                throw new ArgumentException(
                    $"Transforms[{j}] has {t.InputSize} inputs and {t.ExogenousCount} exogenous features; the networks take " +
                    $"{shared.Transform.InputSize} and {shared.Transform.ExogenousCount}.",
                    nameof(data));
        }
        if (data.Smoothing?.Length != data.Transforms.Length || data.Smoothing.Any(b => b is null))
            throw new ArgumentException("Smoothing must hold one baseline per series.", nameof(data));
        return new GlobalLstmForecaster(shared.Options, data.Transforms, data.Smoothing, shared.Members, shared.Calibration, report: null);
    }
}

/// <summary>
/// Everything a trained <see cref="GlobalLstmForecaster"/> consists of, as plain values, for persistence
/// by a wrapper.
/// </summary>
/// <param name="Shared">The shared networks, options and calibration, as a single-series model whose transform is series 0's.</param>
/// <param name="Transforms">Per series, its preprocessing parameters.</param>
/// <param name="Smoothing">Per series, the exponential smoothing combined with the LSTM.</param>
internal sealed record GlobalLstmForecasterData(LstmForecasterData Shared, SeriesTransform[] Transforms, SmoothingBaseline[] Smoothing);
