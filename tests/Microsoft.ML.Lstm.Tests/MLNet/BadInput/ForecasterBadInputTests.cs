using Microsoft.ML.Data;
using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>A forecaster with one covariate trained once (120 rows, two epochs) for <see cref="ForecasterBadInputTests"/>.</summary>
public sealed class ForecasterModel
{
    public MLContext Ml { get; } = new(seed: 1);

    public ForecasterModel() => Model = Estimator().Fit(Ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(120, 1)));

    public LstmForecastingTransformer Model { get; }

    public LstmForecastingEstimator Estimator(bool exogenous = true)
    {
        var o = ForecastByLstmTests.Options(100, exogenous);
        o.NumberOfEpochs = 2;
        return Ml.Forecasting.ForecastByLstm(o);
    }

    public LstmForecastingEngine<SeriesPoint, SeriesForecast> Engine() => Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(Ml);

    public float[][] Transform(IEnumerable<SeriesPoint> rows) =>
        Model.Transform(Ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("Forecast").ToArray();
}

/// <summary>
/// The bad-input matrix of <c>mlContext.Forecasting.ForecastByLstm</c>, its Transform and its forecasting engine
/// (docs/bad-input.md). A NaN value at Fit and Transform and short series are in <see cref="ForecastByLstmTests"/>, bad histories
/// in <see cref="ForecastFromHistoryTests"/>; series-level checks of the core in <see cref="Forecasting.ForecastInputErrorTests"/>.
/// </summary>
public class ForecasterBadInputTests(ForecasterModel forecaster) : IClassFixture<ForecasterModel>
{
    /// <summary>
    /// A non-finite value of the series or of a covariate: Fit and Transform name the column and the row; the engine names the
    /// column, says it was the observation passed to Predict and what to do (it spoke of "inputs … sample 0, step 0" before), and
    /// stays as it was.
    /// </summary>
    [Theory]
    [InlineData("Value", float.NaN)]
    [InlineData("Value", float.PositiveInfinity)]
    [InlineData("Value", float.NegativeInfinity)]
    [InlineData("Promo", float.NaN)]
    [InlineData("Promo", float.PositiveInfinity)]
    public void NonFiniteValue_IsNamedAtFitTransformAndTheEngine(string column, float bad)
    {
        void Spoil(SeriesPoint p)
        {
            if (column == "Value") p.Value = bad; else p.Promo = bad;
        }
        var rows = ForecastByLstmTests.Series(120, 1);
        Spoil(rows[33]);
        var ml = forecaster.Ml;
        Fails(() => forecaster.Estimator().Fit(ml.Data.LoadFromEnumerable(rows)), $"column '{column}', row 33: the value is {bad}");
        Fails(() => forecaster.Transform(rows.Skip(30)), $"column '{column}', row 3: the value is {bad}");

        var engine = forecaster.Engine();
        var before = engine.Predict();
        var observation = new SeriesPoint { Value = 55, Promo = 0 };
        Spoil(observation);
        string role = column == "Value" ? "Series" : "Covariate";
        Fails(() => engine.Predict(observation), $"{role} column '{column}', the observation passed to Predict (after 100 observations): " +
            $"the value is {bad}", column == "Value" ? "Fill the gap first" : "fill the gap first");
        Assert.Equal(100, engine.Count);
        var after = engine.Predict();
        Assert.Equal(before.Forecast, after.Forecast);
        Assert.Equal(before.Upper, after.Upper);
    }

    /// <summary>
    /// A finite observation too large for the model's scaling (float.MaxValue) is named, with what to do, by the engine, by
    /// Transform and over a history; before, all failed with "inputs holds a non-finite value … at sample 0, step 0". In the
    /// training rows the scaling absorbs it: the model trains and forecasts finite values.
    /// </summary>
    [Fact]
    public void AnObservationBeyondTheModelsRange_IsNamed()
    {
        var engine = forecaster.Engine();
        var e = Fails(() => engine.Predict(new SeriesPoint { Value = float.MaxValue }),
            "Series column 'Value', the observation passed to Predict (after 100 observations): The observation 3.4028234",
            "beyond what the model can take in");
        Assert.DoesNotContain("sample 0", e.Message);
        Assert.Equal(100, engine.Count);
        var rows = ForecastByLstmTests.Series(10, 1);
        rows[4].Value = float.MaxValue;
        Fails(() => forecaster.Transform(rows), "Series column 'Value', row 4: The observation 3.4028234", "beyond what the model");
        var history = ForecastByLstmTests.Series(40, 1);
        history[30].Value = float.MaxValue;
        Fails(() => forecaster.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml, history), "beyond what the model");
        var training = ForecastByLstmTests.Series(120, 1);
        training[50].Value = float.MaxValue;
        var model = forecaster.Estimator(exogenous: false).Fit(forecaster.Ml.Data.LoadFromEnumerable(training));
        Assert.All(model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml).Predict().Forecast,
            v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void MissingOrWrongTypedColumn_IsNamedAtFitTransformAndEngineCreation()
    {
        var ml = forecaster.Ml;
        var other = ml.Data.LoadFromEnumerable(new[] { new SequenceTrainerBadInputTests.OtherRow() });
        Fails(() => forecaster.Estimator().Fit(other), "The series column 'Value' was not found");
        Fails(() => forecaster.Model.Transform(other), "The series column 'Value' was not found");
        var doubles = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(120, 1).Select(p => new DoublePoint { Value = p.Value }));
        Fails(() => forecaster.Estimator().Fit(doubles), "The series column 'Value' has type Double; expected Single");
        Fails(() => forecaster.Model.Transform(doubles), "The series column 'Value' has type Double; expected Single");
        Fails(() => forecaster.Model.CreateForecastingEngine<DoublePoint, SeriesForecast>(ml),
            "DoublePoint.Value (column 'Value') must be a float field or property");
        Fails(() => forecaster.Model.CreateForecastingEngine<SeriesPoint, SeriesPoint>(ml),
            "SeriesPoint has no public field or property for column 'Forecast'");
    }

    /// <summary>Fewer rows than TrainSize (zero, one) fail Fit naming the column; Transform forecasts once per row.</summary>
    [Fact]
    public void ZeroRowsAndOneRow()
    {
        var ml = forecaster.Ml;
        Fails(() => forecaster.Estimator().Fit(ml.Data.LoadFromEnumerable(new List<SeriesPoint>())),
            "'Value' has 0 rows; TrainSize is 100");
        Fails(() => forecaster.Estimator().Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(1, 1))),
            "'Value' has 1 rows; TrainSize is 100");
        Assert.Empty(forecaster.Transform([]));
        var one = forecaster.Transform(ForecastByLstmTests.Series(1, 1));
        Assert.Equal(6, Assert.Single(one).Length);
        Assert.All(one[0], v => Assert.True(float.IsFinite(v)));
    }

    /// <summary>
    /// Future covariates for fewer steps than the horizon, or not finite, are named (the latter as "Exogenous feature 0 at step 0"
    /// before); so is a non-finite value in a history the engine is created over.
    /// </summary>
    [Fact]
    public void BadFutureCovariatesAndHistoryValues_AreNamed()
    {
        Fails(() => forecaster.Engine().Predict(6, [new SeriesPoint()]), "future has 1 rows; the horizon is 6");
        var future = Enumerable.Range(0, 6).Select(_ => new SeriesPoint()).ToList();
        future[2].Promo = float.NaN;
        Fails(() => forecaster.Engine().Predict(6, future), "Covariate column 'Promo', future[2] passed to Predict: the value is NaN");
        var history = ForecastByLstmTests.Series(40, 1);
        history[7].Value = float.PositiveInfinity;
        Fails(() => forecaster.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml, history),
            $"Series column 'Value', history[7]: the value is {float.PositiveInfinity}", "Fill the gap first");
        Fails(() => forecaster.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml, new List<SeriesPoint>()),
            "history has no rows; pass the series' recent observations");
    }

    /// <summary>
    /// A PredictionEngine cannot forecast (rows depend on the rows before them). ML.NET refuses it with its own words before this
    /// package's code runs (the forecaster is not a row-to-row mapper); asked for a row-to-row mapper directly, the forecaster
    /// names the engine to use.
    /// </summary>
    [Fact]
    public void APredictionEngine_IsRefused()
    {
        var ml = forecaster.Ml;
        var e = Assert.ThrowsAny<ArgumentException>(() => ml.Model.CreatePredictionEngine<SeriesPoint, SeriesForecast>(forecaster.Model));
        Assert.Contains("Must be a row to row mapper", e.Message);
        var schema = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(1, 1)).Schema;
        var direct = Assert.Throws<NotSupportedException>(() => forecaster.Model.GetRowToRowMapper(schema));
        Assert.Contains("CreateForecastingEngine", direct.Message);
    }

    /// <summary>A constant series (one "class") forecasts the constant, its interval within 1e-3 of it.</summary>
    [Fact]
    public void AConstantSeries_ForecastsTheConstant()
    {
        var rows = ForecastByLstmTests.Series(120, 1);
        rows.ForEach(p => p.Value = 7);
        var model = forecaster.Estimator(exogenous: false).Fit(forecaster.Ml.Data.LoadFromEnumerable(rows));
        var f = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml).Predict();
        Assert.All(f.Forecast.Concat(f.Lower).Concat(f.Upper), v => Assert.Equal(7f, v, 1e-3f));
    }

    /// <summary>Series at 1e-6 and 1e9 scale forecast the unit-scale forecasts times the scale (the series is scaled inside).</summary>
    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e9)]
    public void ExtremeScales_ForecastTheUnitScaleForecastsTimesTheScale(double scale)
    {
        SeriesForecast Forecast(double s)
        {
            var rows = ForecastByLstmTests.Series(120, 1);
            rows.ForEach(p => p.Value = (float)(p.Value * s));
            var model = forecaster.Estimator(exogenous: false).Fit(forecaster.Ml.Data.LoadFromEnumerable(rows));
            return model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(forecaster.Ml).Predict();
        }
        var unit = Forecast(1);
        var scaled = Forecast(scale);
        for (int h = 0; h < unit.Forecast.Length; h++)
        {
            Assert.Equal(unit.Forecast[h], scaled.Forecast[h] / scale, 1e-4 * Math.Abs(unit.Forecast[h]));
            Assert.Equal(unit.Upper[h], scaled.Upper[h] / scale, 1e-4 * Math.Abs(unit.Upper[h]));
        }
    }

    /// <summary>The series as Double: a wrong type for the column and for the engine's input class.</summary>
    public sealed class DoublePoint
    {
        public double Value { get; set; }
        public double Promo { get; set; }
    }
}
