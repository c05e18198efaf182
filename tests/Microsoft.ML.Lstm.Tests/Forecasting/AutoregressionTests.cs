using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>The autoregression on differences the statistical baseline averages with the smoothing.</summary>
public class AutoregressionTests
{
    [Fact]
    public void Fit_RecoversAKnownAr2OnTheDifferences_AndItsDrift()
    {
        // d_t − 0.5 = 0.6 (d_{t−1} − 0.5) − 0.3 (d_{t−2} − 0.5) + e_t, e ~ N(0, 1); a_t the running sum.
        var rng = new Random(5);
        int n = 4000;
        var a = new double[n];
        double d1 = 0, d2 = 0;
        for (int t = 1; t < n; t++)
        {
            double e = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double d = 0.6 * d1 - 0.3 * d2 + e;
            (d2, d1) = (d1, d);
            a[t] = a[t - 1] + 0.5 + d;
        }
        var ar = Autoregression.Fit(a);
        Assert.InRange(ar.Order, 2, 4);
        Assert.Equal(0.6, ar.Coefficients[0], 0.06);
        Assert.Equal(-0.3, ar.Coefficients[1], 0.06);
        Assert.Equal(0.5, ar.Mean, 0.06);
    }

    [Fact]
    public void Forecast_ContinuesTheCycleOfTheLastSteps_AndThenTheDrift()
    {
        var ar = Autoregression.FromCoefficients([0.5], 2, "test");
        // Last steps 10 → 14: d = 4, d − μ = 2; then d − μ = 1, 0.5, 0.25: steps 3, 2.5, 2.25.
        var f = new double[3];
        ar.Forecast([7, 10, 14], f);
        Assert.Equal([17.0, 19.5, 21.75], f);

        var walk = Autoregression.FromCoefficients([], 0, "test");
        walk.Forecast([3], f);
        Assert.Equal([3.0, 3.0, 3.0], f);
    }

    [Fact]
    public void Fit_OnAStraightLine_ForecastsTheLine_AndOnTooFewValues_TheLastValue()
    {
        var line = Enumerable.Range(0, 50).Select(t => 3.0 + 2 * t).ToArray();
        var ar = Autoregression.Fit(line);
        var f = new double[4];
        ar.Forecast(line.AsSpan(line.Length - ar.Memory), f);
        for (int h = 1; h <= 4; h++) Assert.Equal(3.0 + 2 * (49 + h), f[h - 1], 9);

        var shortOne = Autoregression.Fit([1.0, 4, 2]);
        Assert.Equal(0, shortOne.Order);
        shortOne.Forecast([2], f);
        Assert.All(f, v => Assert.Equal(2.0, v));
    }

    [Theory]
    [InlineData(new[] { 1.2 })]
    [InlineData(new[] { 0.5, 0.6 })]
    [InlineData(new[] { double.NaN })]
    [InlineData(new[] { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01 })]
    public void FromCoefficients_RejectsWhatNoFitGives(double[] coefficients)
    {
        var e = Assert.Throws<ArgumentException>(() => Autoregression.FromCoefficients(coefficients, 0, "arCoefficients"));
        Assert.Equal("arCoefficients", e.ParamName);
        Assert.Contains("stationary", e.Message);
    }

    [Fact]
    public void FromCoefficients_AcceptsAStationaryCycle()
    {
        // A damped cycle (complex roots of modulus √0.8): stationary, as Yule–Walker fits of sunspots are.
        Assert.Equal(2, Autoregression.FromCoefficients([1.3, -0.8], 0, "test").Order);
    }
}
