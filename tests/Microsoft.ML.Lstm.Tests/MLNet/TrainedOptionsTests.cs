using System.Collections;
using System.Reflection;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>A point of one of several series, with a covariate.</summary>
public sealed class StorePoint
{
    /// <summary>Which series.</summary>
    public string Store { get; set; } = "";

    /// <summary>The series value.</summary>
    public float Sales { get; set; }

    /// <summary>A known covariate.</summary>
    public float Promo { get; set; }
}

/// <summary>
/// A model reports the options it was trained with, before and after <c>Model.Save</c>/<c>Model.Load</c>. Every
/// settable option is set to a non-default value, and the test fails if a property exists that it does not set, so
/// an option added later without being saved is caught.
/// </summary>
public class TrainedOptionsTests
{
    [Fact]
    public void LstmTransformer_ReportsEveryOption_AfterReload()
    {
        var options = new LstmOptions
        {
            LabelColumnName = "Target", FeatureColumnName = "Seq", FeaturesPerStep = 2, HiddenSize = 5, NumberOfLayers = 2,
            Bidirectional = true, Dropout = 0.1, RecurrentDropout = 0.05, EmbeddingSize = 7, NumberOfEpochs = 2, BatchSize = 9,
            LearningRate = 2e-3, Optimizer = LstmOptimizer.RmsProp, WeightDecay = 1e-4, Momentum = 0.5,
            LearningRateSchedule = LstmLearningRateSchedule.StepDecay, LearningRateDecayFactor = 0.5, LearningRateDecayEpochs = 3,
            GradientClipNorm = 2.5, ValidationFraction = 0.2, EarlyStoppingPatience = 4, Seed = 77, NumberOfThreads = 1,
            Pooling = LstmPooling.Attention, BeamWidth = 3, ShufflePoolSize = 16,
            Progress = _ => { },
        };
        AssertEveryOptionDiffersFromDefault(options, new LstmOptions(), nameof(LstmOptions.Progress));
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i => new { Seq = new float[] { i % 3, 1, 2, i % 5 }, Target = (float)(i % 4) }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Regression.Trainers.Lstm(options).Fit(data);
        AssertSameOptions(options, model.Model.Options, nameof(LstmOptions.Progress));
        Assert.Null(model.Model.Options.Progress);

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        AssertSameOptions(options, loaded.Model.Options, nameof(LstmOptions.Progress));
    }

    [Fact]
    public void LstmTransformer_ReportsTheMLContextSeed_WhenTheOptionIsNull()
    {
        var ml = new MLContext(seed: 123);
        var rows = Enumerable.Range(0, 20).Select(i => new { Features = new float[] { i % 3, 1 }, Label = (float)(i % 2) }).ToList();
        var a = ml.Regression.Trainers.Lstm(new LstmOptions { HiddenSize = 3, NumberOfEpochs = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.NotNull(a.Model.Options.Seed);
        // The reported seed reproduces the model.
        var b = new MLContext(seed: 9)
            .Regression.Trainers.Lstm(new LstmOptions { HiddenSize = 3, NumberOfEpochs = 1, Seed = a.Model.Options.Seed })
            .Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Equal(a.Model.Network.Parameters.Values, b.Model.Network.Parameters.Values);
    }

    [Fact]
    public void ForecastingTransformer_ReportsEveryOption_AfterReload()
    {
        var options = new LstmForecastingOptions
        {
            OutputColumnName = "F", InputColumnName = nameof(StorePoint.Sales), WindowSize = 20, SeriesLength = 30, TrainSize = 100,
            Horizon = 5, ConfidenceLevel = 0.8f, ConfidenceLowerBoundColumn = "Lo", ConfidenceUpperBoundColumn = "Hi",
            ExogenousColumnNames = [nameof(StorePoint.Promo)], SeriesKeyColumnName = nameof(StorePoint.Store), SeasonalPeriod = 12,
            ExponentialSmoothingWeight = 0.3, AdditionalSeasonalPeriods = [24],
            LogTransform = AutoSwitch.On, PowerTransform = AutoSwitch.Auto,
            SeasonalDifferencing = AutoSwitch.On, LevelInput = AutoSwitch.On,
            HiddenSize = 6, NumberOfLayers = 2, NumberOfEpochs = 2, EarlyStoppingPatience = 3, BatchSize = 8, LearningRate = 4e-3,
            WeightDecay = 2e-4, WeightAveraging = 0.5, GradientClipNorm = 3, ValidationFraction = 0.15, Refit = true,
            CalibrateIntervals = false, CalibrationTails = CalibrationTails.Joint, CalibrationFolds = 2, EnsembleSize = 2,
            EnsembleIntervals = EnsembleIntervals.QuantileAverage, NumberOfThreads = 2, Seed = 5,
        };
        AssertEveryOptionDiffersFromDefault(options, new LstmForecastingOptions());
        var ml = new MLContext(seed: 1);
        var points = new[] { "a", "b" }.SelectMany(store => ForecastByLstmTests.Series(110, store.Length + store[0])
            .Select(p => new StorePoint { Store = store, Sales = p.Value, Promo = p.Promo })).ToList();
        var data = ml.Data.LoadFromEnumerable(points);
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        AssertSameOptions(options, model.Options);

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        AssertSameOptions(options, loaded.Options);
        Assert.Equal(["a", "b"], loaded.SeriesKeys);
    }

    [Fact]
    public void ForecastingTransformer_ReportsTheMLContextSeed_WhenTheOptionIsNull()
    {
        var ml = new MLContext(seed: 31);
        var options = ForecastByLstmTests.Options(100);
        options.Seed = null;
        var model = ml.Forecasting.ForecastByLstm(options).Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(100, 2)));
        Assert.NotNull(model.Options.Seed);
        Assert.Null(options.Seed);   // the caller's object is not touched
    }

    /// <summary>Every settable property of <paramref name="set"/> differs from the default, so each one is exercised.</summary>
    private static void AssertEveryOptionDiffersFromDefault<T>(T set, T defaults, params string[] exempt)
    {
        foreach (var p in Settable<T>())
            if (!exempt.Contains(p.Name))
                Assert.False(Same(p.GetValue(set), p.GetValue(defaults)),
                    $"{typeof(T).Name}.{p.Name} is at its default; set it in this test so that saving it is checked.");
    }

    private static void AssertSameOptions<T>(T expected, T actual, params string[] exempt)
    {
        foreach (var p in Settable<T>())
            if (!exempt.Contains(p.Name))
                Assert.True(Same(p.GetValue(expected), p.GetValue(actual)),
                    $"{typeof(T).Name}.{p.Name}: trained with {Show(p.GetValue(expected))}, reported {Show(p.GetValue(actual))}.");
    }

    private static IEnumerable<PropertyInfo> Settable<T>() =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite);

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x && a is not string && b is IEnumerable y ? x.Cast<object>().SequenceEqual(y.Cast<object>()) : Equals(a, b);

    private static string Show(object? v) =>
        v is IEnumerable e and not string ? $"[{string.Join(", ", e.Cast<object>())}]" : v?.ToString() ?? "null";
}
