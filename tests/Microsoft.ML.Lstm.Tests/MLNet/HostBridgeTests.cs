using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>Both estimators resolve seeds and observe MLContext cancellation through the same bridge.</summary>
public class HostBridgeTests
{
    [Fact]
    public void SequenceTrainerSeedComesFromTheOptionElseFromTheMLContext()
    {
        float[] Scores(int contextSeed, int? optionSeed)
        {
            var ml = new MLContext(contextSeed);
            var o = LstmTestData.Options(nameof(SeqRow.Value), epochs: 2);
            o.Seed = optionSeed;
            var data = LstmTestData.Load(ml, 40, 1);
            return LstmTestData.Floats(ml.Regression.Trainers.Lstm(o).Fit(data).Transform(data), "Score");
        }
        Assert.Equal(Scores(1, 7), Scores(2, 7));
        Assert.Equal(Scores(7, null), Scores(1, 7));
        Assert.NotEqual(Scores(8, null), Scores(7, null));
    }

    [Fact]
    public void ForecasterSeedComesFromTheOptionElseFromTheMLContext()
    {
        float[] Forecast(int contextSeed, int? optionSeed)
        {
            var ml = new MLContext(contextSeed);
            var o = ForecastByLstmTests.Options(100);
            o.Seed = optionSeed;
            var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(110, 1));
            return ml.Forecasting.ForecastByLstm(o).Fit(data).Transform(data).GetColumn<float[]>("Forecast").First();
        }
        Assert.Equal(Forecast(1, 7), Forecast(2, 7));
        Assert.Equal(Forecast(7, null), Forecast(1, 7));
    }

    [Fact]
    public void CancelExecutionStopsTrainingWithinOneBatch()
    {
        var ml = new MLContext(seed: 1);
        var o = LstmTestData.Options(nameof(SeqRow.Value), epochs: 1000);
        int epochs = 0;
        o.Progress = _ => { if (++epochs == 2) ml.CancelExecution(); };
        var data = LstmTestData.Load(ml, 200, 1);
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Regression.Trainers.Lstm(o).Fit(data));
        Assert.Equal(2, epochs);
    }

    /// <summary>The public way (issue 17): a cancellation token checked in the Progress callback.</summary>
    [Fact]
    public void ATokenCheckedInProgressStopsTraining()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var o = LstmTestData.Options(nameof(SeqRow.Value), epochs: 1000);
        int epochs = 0;
        o.Progress = _ =>
        {
            if (++epochs == 3) cts.Cancel();
            cts.Token.ThrowIfCancellationRequested();
        };
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Regression.Trainers.Lstm(o).Fit(LstmTestData.Load(ml, 100, 1)));
        Assert.Equal(3, epochs);
    }

    /// <summary>Issue 17: a binary label of one class is refused (it trained silently).</summary>
    [Fact]
    public void ABinaryLabelOfOneClassIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(40, 1);
        rows.ForEach(r => r.Flag = true);
        var trainer = ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag), epochs: 1));
        var e = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Flag' is True in all 40", e.Message);
    }

    [Fact]
    public void CancelExecutionStopsTheForecaster()
    {
        var ml = new MLContext(seed: 1);
        var o = ForecastByLstmTests.Options(100);
        o.NumberOfEpochs = 100_000;
        ml.Log += (_, e) => { if (e.Message.Contains("transform:")) ml.CancelExecution(); };
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(110, 1));
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Forecasting.ForecastByLstm(o).Fit(data));
    }

    [Fact]
    public void CancelExecutionBeforeFitStopsWhileReading()
    {
        var ml = new MLContext(seed: 1);
        ml.CancelExecution();
        var data = LstmTestData.Load(ml, 20, 1);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ml.Regression.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Value))).Fit(data));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ml.Forecasting.ForecastByLstm(ForecastByLstmTests.Options(100))
                .Fit(ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(110, 1))));
    }
}
