using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary>
/// Interval quality over some (origin, horizon) pairs, at the two nominal levels of the benchmark
/// (<see cref="Levels"/>): empirical coverage, misses below / above, mean width and mean interval score
/// (Gneiting &amp; Raftery 2007; the M4 competition's MSIS when divided by the in-sample seasonal naive MAE,
/// as here): width + (2/α)·(distance outside the interval), α = 1 − level. Coverage alone rewards
/// widening; the score does not: it is lowest for the true quantiles. Sums are kept so that series pool.
/// </summary>
internal sealed class Coverage
{
    /// <summary>The nominal levels measured.</summary>
    public static readonly double[] Levels = [0.80, 0.95];

    /// <summary>Horizon blocks of the per-horizon breakdown (h = 1–6, 7–12, 13–18, 19–24 for H = 24).</summary>
    public const int Blocks = 4;

    private readonly int[] _inside = new int[2], _below = new int[2], _above = new int[2];
    private readonly double[] _width = new double[2], _score = new double[2];
    private readonly int[] _blockPairs = new int[Blocks], _blockInside80 = new int[Blocks];

    public int Pairs { get; private set; }

    public int Origins { get; private set; }

    /// <summary>Coverage at level index c (0 = 80%, 1 = 95%), in [0, 1].</summary>
    public double At(int c) => (double)_inside[c] / Pairs;

    public double At80 => At(0);

    public double At95 => At(1);

    /// <summary>Share of pairs below / above the interval at level index c.</summary>
    public (double Below, double Above) Misses(int c) => ((double)_below[c] / Pairs, (double)_above[c] / Pairs);

    /// <summary>Mean scaled width at level index c.</summary>
    public double Width(int c) => _width[c] / Pairs;

    /// <summary>Mean scaled interval score at level index c.</summary>
    public double Score(int c) => _score[c] / Pairs;

    /// <summary>80% coverage of the pairs in horizon block b (NaN when it has none).</summary>
    public double Block80(int b) => _blockPairs[b] == 0 ? double.NaN : (double)_blockInside80[b] / _blockPairs[b];

    /// <summary>
    /// Creates an engine on y[..firstOrigin], then for every origin o = firstOrigin … N − 1 forecasts H
    /// steps, scores the pairs whose target y[o + h] exists, and streams y[o] into the engine.
    /// </summary>
    /// <param name="model">The forecaster.</param>
    /// <param name="y">The series.</param>
    /// <param name="firstOrigin">The first origin.</param>
    /// <param name="scale">Divides widths and scores (the in-sample seasonal naive MAE, as for MASE).</param>
    /// <param name="exogenous">Covariates [N × E] when the model has E &gt; 0 (missing future rows repeat the last one).</param>
    public static Coverage Measure(LstmForecaster model, double[] y, int firstOrigin, double scale, double[]? exogenous = null)
    {
        int E = model.Transform.ExogenousCount, H = model.Horizon;
        var ex = exogenous ?? [];
        var engine = model.CreateEngine(y.AsSpan(0, firstOrigin), ex.AsSpan(0, firstOrigin * E));
        var result = new Coverage { Origins = y.Length - firstOrigin };
        for (int origin = firstOrigin; origin < y.Length; origin++)
        {
            var future = new double[H * E];
            for (int h = 0; h < H; h++) ex.AsSpan(Math.Min(origin + h, y.Length - 1) * E, E).CopyTo(future.AsSpan(h * E, E));
            var f = engine.Forecast(futureExogenous: future);
            for (int h = 0; h < f.Horizon && origin + h < y.Length; h++)
            {
                double a = y[origin + h];
                result.Pairs++;
                int block = h * Blocks / H;
                result._blockPairs[block]++;
                for (int c = 0; c < Levels.Length; c++)
                {
                    double lo = f.Lower(Levels[c])[h], hi = f.Upper(Levels[c])[h];
                    bool below = a < lo, above = a > hi;
                    if (below) result._below[c]++;
                    else if (above) result._above[c]++;
                    else
                    {
                        result._inside[c]++;
                        if (c == 0) result._blockInside80[block]++;
                    }
                    result._width[c] += (hi - lo) / scale;
                    result._score[c] += IntervalScore(a, lo, hi, Levels[c]) / scale;
                }
            }
            engine.Update(y[origin], ex.AsSpan(origin * E, E));
        }
        return result;
    }

    /// <summary>The interval score of one pair: width + (2/α)·(distance outside the interval), α = 1 − level.</summary>
    public static double IntervalScore(double actual, double lo, double hi, double level) =>
        hi - lo + 2 / (1 - level) * (Math.Max(0, lo - actual) + Math.Max(0, actual - hi));

    /// <summary>All pairs of several measurements together.</summary>
    public static Coverage Pool(IEnumerable<Coverage> parts)
    {
        var pooled = new Coverage();
        foreach (var p in parts)
        {
            pooled.Pairs += p.Pairs;
            pooled.Origins += p.Origins;
            for (int c = 0; c < Levels.Length; c++)
            {
                pooled._inside[c] += p._inside[c];
                pooled._below[c] += p._below[c];
                pooled._above[c] += p._above[c];
                pooled._width[c] += p._width[c];
                pooled._score[c] += p._score[c];
            }
            for (int b = 0; b < Blocks; b++) { pooled._blockPairs[b] += p._blockPairs[b]; pooled._blockInside80[b] += p._blockInside80[b]; }
        }
        return pooled;
    }

    /// <summary>"80% cov (below/above) width score | 95% …" for a table cell.</summary>
    public string Cells() =>
        $"{100 * At80:F1}% ({100 * Misses(0).Below:F0}/{100 * Misses(0).Above:F0}) | {Width(0):F2} | {Score(0):F2} | " +
        $"{100 * At95:F1}% ({100 * Misses(1).Below:F0}/{100 * Misses(1).Above:F0}) | {Width(1):F2} | {Score(1):F2}";

    /// <summary>Header matching <see cref="Cells"/>.</summary>
    public const string CellsHeader = "80% cov (below/above %) | 80% width | 80% MSIS | 95% cov (below/above %) | 95% width | 95% MSIS";

    /// <summary>80% coverage per horizon block.</summary>
    public string BlockCells() => string.Join(" | ", Enumerable.Range(0, Blocks).Select(b => $"{100 * Block80(b):F0}%"));

    /// <summary>The in-sample seasonal naive MAE of the training part (the MASE denominator).</summary>
    public static double NaiveScale(ReadOnlySpan<double> train, int period)
    {
        double s = 0;
        for (int t = period; t < train.Length; t++) s += Math.Abs(train[t] - train[t - period]);
        return s / (train.Length - period);
    }
}
