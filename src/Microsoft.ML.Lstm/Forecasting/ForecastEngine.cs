using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Streaming forecasts from a trained <see cref="LstmForecaster"/>. The engine carries, per ensemble member,
/// the LSTM state (h, c) after the last observation and the head output there, plus the last ℓ
/// observations (and covariates) the baselines need, and the level and trend of the exponential smoothing it is combined
/// with. <see cref="Update"/> advances by one step of each network and of the smoothing, O(1) in the series length;
/// <see cref="Forecast"/> only combines stored outputs. Because the
/// model always runs from the first observation with carried state and every transform parameter is
/// fixed, streaming points gives the same forecasts as creating an engine on the extended series.
/// Not thread-safe: one engine per caller.
/// </summary>
internal sealed class ForecastEngine
{
    private readonly LstmForecaster _model;
    private readonly LstmWorkspace<float>[] _workspaces;
    private readonly double[] _recent, _recentExogenous;
    private readonly float[][] _hidden, _cell, _output;
    private readonly float[] _features;
    private readonly SequenceBatch<float>[] _steps;
    private readonly BaselineState _smoothing;
    private readonly double[] _statistical;

    internal ForecastEngine(LstmForecaster model, ForecastEngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _model = model;
        model.CheckState(state);
        Count = state.Count;
        _recent = (double[])state.RecentValues!.Clone();
        _recentExogenous = (double[])state.RecentExogenous!.Clone();
        _hidden = state.Hidden!.Select(a => (float[])a.Clone()).ToArray();
        _cell = state.Cell!.Select(a => (float[])a.Clone()).ToArray();
        _output = state.Output!.Select(a => (float[])a.Clone()).ToArray();
        _workspaces = model.Members.Select(m => m.Net.CreateWorkspace()).ToArray();
        _features = new float[model.Transform.InputSize];
        // One step of one sequence per member, over the arrays the engine updates in place: nothing is allocated per value.
        _steps = [.. Enumerable.Range(0, _hidden.Length).Select(k =>
            new SequenceBatch<float>(1, 1, _features.Length, _features) { InitialHidden = _hidden[k], InitialCell = _cell[k] })];
        _smoothing = new BaselineState(model.Smoothing.Parameters with { Level = state.Smoothing[0], Trend = state.Smoothing[1] },
            state.Smoothing[2..]);
        _statistical = new double[model.Horizon];
    }

    /// <summary>Observations seen so far (history plus updates).</summary>
    public long Count { get; private set; }

    /// <summary>The model.</summary>
    public LstmForecaster Model => _model;

    /// <summary>The covariates of the last observation (empty when the model has none).</summary>
    public ReadOnlySpan<double> LastExogenous => _recentExogenous.AsSpan(_recentExogenous.Length - _model.Transform.ExogenousCount);

    /// <summary>Advances by one observation, with its covariates when the model has any.</summary>
    /// <param name="observation">The next value of the series.</param>
    /// <param name="exogenous">Its E covariates (empty when E = 0).</param>
    /// <exception cref="ArgumentException">The value is not finite (or not
    /// positive for a logged model), or the covariates do not fit.</exception>
    public void Update(double observation, ReadOnlySpan<double> exogenous = default)
    {
        var transform = _model.Transform;
        int lag = transform.Lag, E = transform.ExogenousCount;
        SeriesChecks.Series([observation], nameof(observation));
        SeriesChecks.Positive([observation], transform, nameof(observation));
        SeriesChecks.Exogenous(exogenous, 1, E, nameof(exogenous));
        double x = transform.ToModel(observation);
        transform.Features(x, _recent[0], exogenous, _features);
        int overflow = Array.FindIndex(_features, v => !float.IsFinite(v));
        if (overflow >= 0)
            throw new ArgumentException(
                $"The observation {observation} is beyond what the model can take in: scaled for the network, input {overflow} is " +
                $"{_features[overflow]}. Observations must stay within the range the series was trained on by orders of magnitude; " +
                "check the value, or retrain on data that includes such values.", nameof(observation));
        for (int k = 0; k < _workspaces.Length; k++)
        {
            var y = _model.Members[k].Net.Forward(_workspaces[k], _steps[k]);
            y.CopyTo(_output[k]);
            _workspaces[k].FinalHidden.CopyTo(_hidden[k]);
            _workspaces[k].FinalCell.CopyTo(_cell[k]);
        }
        _model.Smoothing.Update(_smoothing, Count, x);
        Array.Copy(_recent, 1, _recent, 0, lag - 1);
        _recent[lag - 1] = x;
        Array.Copy(_recentExogenous, E, _recentExogenous, 0, (lag - 1) * E);
        exogenous.CopyTo(_recentExogenous.AsSpan((lag - 1) * E, E));
        Count++;
    }

    /// <summary>Forecasts from the last observation.</summary>
    /// <param name="horizon">Steps ahead, 1 … the trained horizon; null = the trained horizon.</param>
    /// <param name="futureExogenous">The covariates of the forecast steps, [horizon × E] row-major (empty when E = 0).</param>
    /// <exception cref="ArgumentException">The horizon is out of range or the covariates do not fit.</exception>
    public ForecastResult Forecast(int? horizon = null, ReadOnlySpan<double> futureExogenous = default)
    {
        var transform = _model.Transform;
        var layout = _model.Layout;
        int H = _model.Horizon, steps = horizon ?? H, lag = transform.Lag, E = transform.ExogenousCount, Q = layout.Count;
        if (steps < 1 || steps > H)
            throw new ArgumentOutOfRangeException(nameof(horizon), steps, $"The horizon must be between 1 and the trained horizon {H}.");
        SeriesChecks.Exogenous(futureExogenous, steps, E, nameof(futureExogenous));
        var regressors = new float[H * E];
        for (int h = 1; h <= steps; h++)
            for (int e = 0; e < E; e++)
                regressors[(h - 1) * E + e] = (float)transform.ExogenousRegressor(futureExogenous[(h - 1) * E + e],
                    _recentExogenous[(lag - 1 + transform.BaselineOffset(h)) * E + e], e);
        var rows = new float[_output.Length][];
        for (int k = 0; k < rows.Length; k++)
        {
            rows[k] = (float[])_output[k].Clone();
            _model.Members[k].AddExogenous(rows[k], 1, regressors);
        }
        var values = new double[H * Q];
        layout.Combine(rows, 0, H, values);
        _model.Smoothing.Forecast(_smoothing, Count, _statistical);

        int L = layout.ConfidenceLevels.Length;
        var point = new double[steps];
        var lower = Enumerable.Range(0, L).Select(_ => new double[steps]).ToArray();
        var upper = Enumerable.Range(0, L).Select(_ => new double[steps]).ToArray();
        // Each bound's distance from the median (r units), carried forward as a running maximum when the calibration says so.
        bool neverNarrow = _model.Calibration.WidthsNeverNarrow;
        var below = new double[L];
        var above = new double[L];
        for (int h = 1; h <= steps; h++)
        {
            var sorted = values.AsSpan((h - 1) * Q, Q);
            double xBase = _recent[lag - 1 + transform.BaselineOffset(h)];
            double smoothed = transform.Target(_statistical[h - 1], xBase, h);
            SmoothingCombination.Shift(sorted, layout.Median, smoothed, _model.SmoothingWeight);
            double Value(double r) => transform.FromModel(transform.Reconstruct(r, xBase, h));
            point[h - 1] = Value(sorted[layout.Median]);
            var bounds = _model.Calibration.Bounds(layout, sorted, h - 1);
            double median = sorted[layout.Median];
            for (int c = 0; c < L; c++)
            {
                var (lo, hi) = bounds[c];
                if (neverNarrow)
                {
                    (below[c], above[c]) = (Math.Max(below[c], median - lo), Math.Max(above[c], hi - median));
                    (lo, hi) = (median - below[c], median + above[c]);
                }
                (lower[c][h - 1], upper[c][h - 1]) = (Value(lo), Value(hi));
            }
        }
        return new ForecastResult(point, layout.ConfidenceLevels, lower, upper);
    }

    /// <summary>A copy of the carried state; <see cref="LstmForecaster.RestoreEngine"/> continues from it.</summary>
    public ForecastEngineState GetState() => new(Count, (double[])_recent.Clone(), (double[])_recentExogenous.Clone(),
        _hidden.Select(a => (float[])a.Clone()).ToArray(), _cell.Select(a => (float[])a.Clone()).ToArray(),
        _output.Select(a => (float[])a.Clone()).ToArray(), _smoothing.ToArray());
}
