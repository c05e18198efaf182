using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The network learns dynamics the baseline cannot, and its intervals cover roughly as stated.</summary>
public class ForecastQualityTests
{
    /// <summary>
    /// A damped oscillation, AR(2) y_t = 1.6·y_{t−1} − 0.8·y_{t−2} + ε: the last value is a poor forecast of it.
    /// </summary>
    private static double[] Oscillation(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var y = new double[n];
        for (int t = 2; t < n; t++) y[t] = 1.6 * y[t - 1] - 0.8 * y[t - 2] + rng.NextGaussian();
        return y;
    }

    [Fact]
    public void LearnedForecasts_BeatTheNaiveBaseline_AndIntervalsCoverNearNominal()
    {
        const int n = 700, train = 500, H = 4;
        var y = Oscillation(n, 21);
        var options = new ForecasterSettings
        {
            Model = { Horizon = H, WindowSize = 32, SeriesLength = 64, NumberOfEpochs = 60, EnsembleSize = 2 },
            Seed = 1, NumberOfThreads = 2
        };
        var model = LstmForecaster.Train(y.AsSpan(0, train), options);
        Assert.False(model.Transform.SeasonalDifferencing);
        var engine = model.CreateEngine(y.AsSpan(0, train));
        double ours = 0, naive = 0;
        int pairs = 0, inside80 = 0, inside95 = 0;
        for (int origin = train; origin + H <= n; origin++)
        {
            var f = engine.Forecast();
            for (int h = 0; h < H; h++)
            {
                double a = y[origin + h];
                ours += Math.Abs(a - f.Point[h]);
                naive += Math.Abs(a - y[origin - 1]);
                pairs++;
                if (a >= f.Lower(0.80)[h] && a <= f.Upper(0.80)[h]) inside80++;
                if (a >= f.Lower(0.95)[h] && a <= f.Upper(0.95)[h]) inside95++;
            }
            engine.Update(y[origin]);
        }
        Assert.True(ours < 0.8 * naive, $"MAE {ours / pairs:F3} vs naive {naive / pairs:F3}");
        Assert.InRange((double)inside80 / pairs, 0.65, 0.95);
        Assert.InRange((double)inside95 / pairs, 0.85, 1.0);
    }
}
