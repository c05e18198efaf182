using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.Core;

/// <summary>Learning-rate schedules against PyTorch's semantics, worked out by hand epoch by epoch.</summary>
public class ScheduleTests
{
    /// <summary>The rates of epochs 0..losses.Length, driving the schedule as a training loop would.</summary>
    private static double[] Rates(ILearningRateSchedule s, IReadOnlyList<double?> losses)
    {
        var rates = new double[losses.Count + 1];
        rates[0] = s.Initial;
        for (int e = 1; e <= losses.Count; e++) rates[e] = s.Next(e, losses[e - 1], rates[e - 1]);
        return rates;
    }

    private static double?[] NoLosses(int n) => new double?[n];

    private static void AssertRates(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-15 * expected[i], $"epoch {i}: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void Constant_KeepsTheRate()
    {
        var s = new ConstantSchedule(0.01);
        Assert.Equal(0.01, s.Initial);
        AssertRates(new[] { 0.01, 0.01, 0.01, 0.01 }, Rates(s, new double?[] { 5, null, 1 }));
    }

    [Fact]
    public void StepDecay_FollowsStepLR()
    {
        // StepLR(lr=1, step_size=3, gamma=0.1): epochs 0–2 at 1, 3–5 at 0.1, 6–8 at 0.01, 9 at 0.001.
        var rates = Rates(new StepDecaySchedule(1, 3, 0.1), NoLosses(9));
        AssertRates(new[] { 1, 1, 1, 0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1 }, rates);
    }

    [Fact]
    public void StepDecay_StepSizeOne_DecaysEveryEpoch()
    {
        AssertRates(new[] { 0.5, 0.25, 0.125, 0.0625 }, Rates(new StepDecaySchedule(0.5, 1, 0.5), NoLosses(3)));
    }

    [Fact]
    public void ReduceOnPlateau_RelativeThreshold_AndPatience()
    {
        // factor 0.5, patience 2, threshold 0.1: an epoch improves only if loss < best·0.9.
        // e1 10 → best 10 | e2 9.5, e3 9.2, e4 9.1: three bad epochs (> patience 2) → 0.5, count 0
        // e5 8 < 9 → best 8 | e6 7.5 (not < 7.2), e7 7.3, e8 7.25 → 0.25 | e9 7.1 < 7.2 → best | e10 7 bad.
        var losses = new double?[] { 10, 9.5, 9.2, 9.1, 8, 7.5, 7.3, 7.25, 7.1, 7 };
        var rates = Rates(new ReduceOnPlateauSchedule(1, factor: 0.5, patience: 2, threshold: 0.1), losses);
        AssertRates(new[] { 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25 }, rates);
    }

    [Fact]
    public void ReduceOnPlateau_Defaults_MatchPyTorch()
    {
        // Defaults factor 0.1, patience 10, threshold 1e-4: a constant loss reduces after the 11th bad epoch,
        // i.e. at epoch 12 (epoch 1 sets the best), then again 11 epochs later.
        var losses = Enumerable.Repeat<double?>(1.0, 23).ToArray();
        var rates = Rates(new ReduceOnPlateauSchedule(1), losses);
        for (int e = 0; e <= 11; e++) Assert.Equal(1, rates[e]);
        for (int e = 12; e <= 22; e++) Assert.Equal(0.1, rates[e], 1e-15);
        Assert.Equal(0.01, rates[23], 1e-15);
    }

    [Fact]
    public void ReduceOnPlateau_ClampsAtMinRate_AndIgnoresTinyDecreases()
    {
        // patience 0: every non-improving epoch reduces. 1 → 0.5 → max(0.25, 0.3) = 0.3 → 0.3 (no change).
        var s = new ReduceOnPlateauSchedule(1, factor: 0.5, patience: 0, minRate: 0.3);
        AssertRates(new[] { 1, 1, 0.5, 0.3, 0.3 }, Rates(s, new double?[] { 2, 2, 2, 2 }));

        // A reduction of at most 1e-8 (PyTorch's eps) is not applied.
        var tiny = new ReduceOnPlateauSchedule(1.5e-8, factor: 0.5, patience: 0);
        AssertRates(new[] { 1.5e-8, 1.5e-8, 1.5e-8 }, Rates(tiny, new double?[] { 1, 1 }));
    }

    [Fact]
    public void ReduceOnPlateau_NullLoss_HoldsRateAndState()
    {
        // With patience 1, epochs 2 and 5 are the bad ones; the null losses in between count for nothing.
        var losses = new double?[] { 5, 6, null, null, 6, null };
        var rates = Rates(new ReduceOnPlateauSchedule(1, factor: 0.5, patience: 1), losses);
        AssertRates(new[] { 1, 1, 1, 1, 1, 0.5, 0.5 }, rates);
    }

    [Fact]
    public void ReduceOnPlateau_NaNLoss_CountsAsBad()
    {
        var rates = Rates(new ReduceOnPlateauSchedule(1, factor: 0.5, patience: 0), new double?[] { 1, double.NaN });
        AssertRates(new[] { 1, 1, 0.5 }, rates);
    }

    [Fact]
    public void ReduceOnPlateau_NewRun_ClearsState()
    {
        var s = new ReduceOnPlateauSchedule(1, factor: 0.5, patience: 1);
        var losses = new double?[] { 1, 2, 2 };
        var first = Rates(s, losses);
        var second = Rates(s, losses); // epoch numbers restart at 1: best and counter are cleared
        AssertRates(new[] { 1, 1, 1, 0.5 }, first);
        AssertRates(first, second);
    }

    [Fact]
    public void BadArguments_Throw_NamingTheArgument()
    {
        string Name(Action a) => Assert.ThrowsAny<ArgumentException>(a).ParamName!;
        Assert.Equal("initial", Name(() => new ConstantSchedule(0)));
        Assert.Equal("initial", Name(() => new StepDecaySchedule(double.NaN, 1, 0.5)));
        Assert.Equal("stepSize", Name(() => new StepDecaySchedule(1, 0, 0.5)));
        Assert.Equal("gamma", Name(() => new StepDecaySchedule(1, 2, 1.5)));
        Assert.Equal("factor", Name(() => new ReduceOnPlateauSchedule(1, factor: 1)));
        Assert.Equal("patience", Name(() => new ReduceOnPlateauSchedule(1, patience: -1)));
        Assert.Equal("minRate", Name(() => new ReduceOnPlateauSchedule(1, minRate: -0.1)));
        Assert.Equal("threshold", Name(() => new ReduceOnPlateauSchedule(1, threshold: 1)));
        Assert.Equal("epochCompleted", Name(() => new ConstantSchedule(1).Next(0, null, 1)));
        Assert.Equal("currentRate", Name(() => new StepDecaySchedule(1, 1, 0.5).Next(1, null, double.NaN)));
        Assert.Equal("currentRate", Name(() => new ReduceOnPlateauSchedule(1).Next(1, 1.0, -1)));
    }
}
