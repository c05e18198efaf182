using System.Diagnostics;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// The README's short-form <c>ForecastByLstm</c> call as issue 12's protocol makes it (window max(3m, 2H, 8) capped at
/// 336, sequences twice the window, no seasonal period, 95% bounds), and the seasonal naive forecast it is measured
/// against. Shared by the panel (<see cref="Panel"/>) and the speed check (<see cref="Speed"/>).
/// </summary>
internal static class ShortForm
{
    /// <summary>What one fit gives.</summary>
    /// <param name="Periods">The seasonal periods the model used: the LSTM's, then " + " the others the smoothing adjusts for.</param>
    public sealed record Result(double[] Point, double[] Lower, double[] Upper, double Seconds, string Periods,
        double? SmoothingWeight);

    /// <summary>The protocol's window for seasonal period <paramref name="m"/> and horizon <paramref name="horizon"/>.</summary>
    public static int Window(int m, int horizon) => Math.Min(Math.Max(Math.Max(3 * m, 2 * horizon), 8), 336);

    /// <summary>
    /// Trains on all of <paramref name="train"/> and forecasts <paramref name="horizon"/> steps from its end, with bounds at
    /// <paramref name="level"/> (the README's 0.95 unless told).
    /// </summary>
    /// <param name="overrides">Settings changed by <c>--set</c>: the same model through the options overload.</param>
    public static Result Fit(double[] train, int window, int horizon, int seed, float level = 0.95f,
        IReadOnlyList<(string Name, string Value)>? overrides = null)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(train.Select(v => new Point { Value = (float)v }));
        var clock = Stopwatch.StartNew();
        var estimator = overrides is not { Count: > 0 }
            ? ml.Forecasting.ForecastByLstm(
                "Forecast", nameof(Point.Value), window, 2 * window, train.Length, horizon, level, "Lower", "Upper")
            : ml.Forecasting.ForecastByLstm(Configured(window, train.Length, horizon, level, overrides));
        var model = estimator.Fit(data);
        double seconds = clock.Elapsed.TotalSeconds;
        var f = model.CreateForecastingEngine<Point, Bounds>(ml).Predict();
        int[] periods = [model.Options.SeasonalPeriod ?? 0, .. model.Options.AdditionalSeasonalPeriods ?? []];
        return new Result(Doubles(f.Forecast), Doubles(f.Lower), Doubles(f.Upper), seconds, string.Join(" + ", periods),
            model.Options.ExponentialSmoothingWeight);
    }

    /// <summary>
    /// The protocol at one <paramref name="origin"/> of <paramref name="y"/>: fits on the values before it with the
    /// protocol's window for <paramref name="m"/>, forecasts <paramref name="horizon"/> steps, and scores the forecast and
    /// the seasonal naive one (MASE, in-sample scale at lag m).
    /// </summary>
    public static (Result Fit, double Mase, double NaiveMase) Score(double[] y, int origin, int m, int horizon, int seed,
        IReadOnlyList<(string Name, string Value)>? overrides = null)
    {
        var train = y[..origin];
        var actual = y.AsSpan(origin, horizon);
        var f = Fit(train, Window(m, horizon), horizon, seed, overrides: overrides);
        return (f, ForecastMetrics.Mase(actual, f.Point, train, m),
            ForecastMetrics.Mase(actual, SeasonalNaive(train, m, horizon), train, m));
    }

    private static LstmForecastingOptions Configured(int window, int trainSize, int horizon, float level,
        IReadOnlyList<(string Name, string Value)> overrides)
    {
        var options = new LstmForecastingOptions
        {
            OutputColumnName = "Forecast", InputColumnName = nameof(Point.Value), WindowSize = window, SeriesLength = 2 * window,
            TrainSize = trainSize, Horizon = horizon, ConfidenceLevel = level, ConfidenceLowerBoundColumn = "Lower",
            ConfidenceUpperBoundColumn = "Upper",
        };
        Overrides.Apply(options, overrides);
        return options;
    }

    /// <summary>The last season of <paramref name="train"/> repeated <paramref name="horizon"/> steps ahead (m = 1: naive).</summary>
    public static double[] SeasonalNaive(ReadOnlySpan<double> train, int m, int horizon)
    {
        var f = new double[horizon];
        for (int h = 0; h < horizon; h++) f[h] = train[train.Length - m + h % m];
        return f;
    }

    private static double[] Doubles(float[] v) => v.Select(x => (double)x).ToArray();

    private sealed class Point
    {
        public float Value { get; set; }
    }

    private sealed class Bounds
    {
        public float[] Forecast { get; set; } = [];

        public float[] Lower { get; set; } = [];

        public float[] Upper { get; set; } = [];
    }
}
