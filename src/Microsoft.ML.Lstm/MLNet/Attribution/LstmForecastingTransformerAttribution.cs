using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

public sealed partial class LstmForecastingTransformer
{
    /// <summary>
    /// Attributes the point forecasts made after <paramref name="history"/> to each of its values by integrated gradients:
    /// output h − 1 of the result is the forecast h steps ahead, step t the history's value t (see
    /// <see cref="SequenceAttribution"/>). "Which months drove this forecast": the LSTM ensemble, the statistical forecast
    /// it is combined with and the transform are all differentiated as the engine forms the forecast.
    /// </summary>
    /// <param name="history">The series up to the forecast origin, oldest first (at least the model's lag + 1 values;
    /// positive for a log-transformed model).</param>
    /// <param name="baseline">The history the path starts from, same length; null: every value at the history's mean (a
    /// flat series: "nothing happened").</param>
    /// <param name="numberOfPoints">Interpolation points; null (default): 32, doubled until the attributions add up to the
    /// forecast change within 1% for every horizon step or 256 points are reached.</param>
    /// <param name="seriesKey">For a global model, the series' key; null for a single-series model.</param>
    /// <param name="horizonStep">Explain only the forecast this many steps ahead (1 … Horizon; the result then has one
    /// output, and costs 1/Horizon of the whole); null: every step.</param>
    /// <exception cref="ArgumentException">The history or baseline do not fit the model, the key is unknown, or points
    /// or the horizon step are out of range.</exception>
    /// <exception cref="NotSupportedException">The model has covariates.</exception>
    public SequenceAttribution Explain(float[] history, float[]? baseline = null, int? numberOfPoints = null, string? seriesKey = null,
        int? horizonStep = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        LstmForecaster forecaster;
        try { forecaster = Model.ForSeries(SeriesIndex(seriesKey)); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(seriesKey), e); }
        var y = history.Select(v => (double)v).ToArray();
        SeriesChecks.Series(y, nameof(history));
        SeriesChecks.Positive(y, forecaster.Transform, nameof(history));
        if (y.Length <= forecaster.Transform.Lag)
            throw new ArgumentException($"The history has {y.Length} values; the model needs more than {forecaster.Transform.Lag}.",
                nameof(history));
        double[] y0;
        if (baseline is null) y0 = Enumerable.Repeat(y.Average(), y.Length).ToArray();
        else
        {
            if (baseline.Length != history.Length)
                throw new ArgumentException($"The baseline has {baseline.Length} values; the history has {history.Length}.",
                    nameof(baseline));
            y0 = baseline.Select(v => (double)v).ToArray();
            SeriesChecks.Series(y0, nameof(baseline));
            SeriesChecks.Positive(y0, forecaster.Transform, nameof(baseline));
        }
        if (horizonStep is { } step && (step < 1 || step > forecaster.Horizon))
            throw new ArgumentOutOfRangeException(nameof(horizonStep), step, $"horizonStep must be 1 … {forecaster.Horizon}.");
        int[] steps = horizonStep is { } only ? [only] : [.. Enumerable.Range(1, forecaster.Horizon)];
        string name = baseline is null ? "the history's mean at every step" : "given";
        return SequenceAttribution.WithPoints(numberOfPoints, 32, 256, m =>
        {
            var (a, f, f0) = ForecastAttribution.Compute(forecaster, y, y0, m, steps);
            return new SequenceAttribution([.. a.Select(v => (float)v)], steps.Length, y.Length, 1,
                [.. f.Select(v => (float)v)], [.. f0.Select(v => (float)v)], name, m);
        });
    }
}
