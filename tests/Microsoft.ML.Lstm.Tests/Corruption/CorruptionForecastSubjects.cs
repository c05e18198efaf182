using Microsoft.ML.Lstm.Tests.MLNet;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>
/// The forecasting subjects of the corruption run: a forecaster zip, a checkpoint zip, a global forecaster over three series
/// and an engine state.
/// </summary>
internal static class CorruptionForecastSubjects
{
    public static IEnumerable<CorruptionSubject> Train(MLContext ml)
    {
        var options = ForecastByLstmTests.Options(72, exogenous: true);
        (options.HiddenSize, options.NumberOfEpochs, options.EnsembleSize, options.NumberOfThreads) = (4, 2, 2, 1);
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(72, seed: 1));
        var model = ml.Forecasting.ForecastByLstm(options).Fit(data);
        using var saved = new MemoryStream();
        ml.Model.Save(model, data.Schema, saved);
        yield return new CorruptionSubject("forecaster", saved.ToArray(), IsZip: true, (context, bytes) => Answer(Load(context, bytes)));

        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        engine.Predict(new SeriesPoint { Value = 70, Promo = 1 });
        using var checkpoint = new MemoryStream();
        engine.CheckPoint(ml, checkpoint);
        yield return new CorruptionSubject("checkpoint", checkpoint.ToArray(), IsZip: true,
            (context, bytes) => Answer(Load(context, bytes)));

        yield return Global(ml);

        using var state = new MemoryStream();
        engine.SaveState(state);
        yield return new CorruptionSubject("engine state", state.ToArray(), IsZip: false, (context, bytes) =>
            Answer(model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(context, new MemoryStream(bytes))));
    }

    /// <summary>A global model over three series; its answer is each series' forecast.</summary>
    private static CorruptionSubject Global(MLContext ml)
    {
        string[] keys = ["a", "b", "c"];
        var points = Enumerable.Range(0, 72).SelectMany(t => keys.Select((key, j) => new KeyedPoint
        {
            Store = key, Value = (float)((1 + 9 * j) * (50 + 0.1 * t + 8 * Math.Sin(2 * Math.PI * (t + j) / 12))),
        })).ToList();
        var options = new LstmForecastingOptions
        {
            InputColumnName = nameof(KeyedPoint.Value), SeriesKeyColumnName = nameof(KeyedPoint.Store), WindowSize = 24,
            SeriesLength = 36, TrainSize = 72, Horizon = 6, Seed = 3, SeasonalPeriod = 12, HiddenSize = 4, NumberOfEpochs = 2,
            EnsembleSize = 1, NumberOfThreads = 1,
        };
        var data = ml.Data.LoadFromEnumerable(points);
        using var saved = new MemoryStream();
        ml.Model.Save(ml.Forecasting.ForecastByLstm(options).Fit(data), data.Schema, saved);
        return new CorruptionSubject("global forecaster", saved.ToArray(), IsZip: true, (context, bytes) =>
        {
            var model = Load(context, bytes);
            return string.Join("\n", keys.Select(key => CorruptionSubjects.Bits(
                model.CreateForecastingEngine<KeyedPoint, ForecastByLstmTestsOutput>(context, key).Predict().Forecast)));
        });
    }

    private static LstmForecastingTransformer Load(MLContext ml, byte[] bytes) =>
        (LstmForecastingTransformer)ml.Model.Load(new MemoryStream(bytes), out _);

    private static string Answer(LstmForecastingTransformer model) =>
        Answer(model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(new MLContext(seed: 1)));

    /// <summary>The forecast and its bounds, then again after one more observation, by their bits.</summary>
    private static string Answer(LstmForecastingEngine<SeriesPoint, SeriesForecast> engine)
    {
        var first = engine.Predict();
        var next = engine.Predict(new SeriesPoint { Value = 71, Promo = 0 });
        return string.Join("\n", new[] { first.Forecast, first.Lower, first.Upper, next.Forecast, next.Lower, next.Upper }
            .Select(CorruptionSubjects.Bits));
    }
}
