using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// A trained model keeps every epoch's figures (Keras's History): the same records the Progress callback received, in
/// order, and the same after Model.Save/Model.Load.
/// </summary>
public class TrainingHistoryTests
{
    [Fact]
    public void TrainingHistory_IsWhatProgressReceived_AndSurvivesSaveAndLoad()
    {
        var ml = new MLContext(seed: 1);
        var data = LstmTestData.Load(ml, 120, 4);
        var seen = new List<EpochProgress>();
        var options = LstmTestData.Options(nameof(SeqRow.Value), epochs: 6);
        options.ValidationFraction = 0.2;
        options.Progress = seen.Add;
        var model = ml.Regression.Trainers.Lstm(options).Fit(data);

        var history = model.Model.TrainingHistory;
        Assert.Equal(seen, history);
        Assert.Equal([1, 2, 3, 4, 5, 6], history.Select(e => e.Epoch));
        Assert.All(history, e => Assert.Equal("rmse", e.MetricName));
        Assert.All(history, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, "training loss fell");

        using var dir = new TempDirectory();
        ml.Model.Save(model, data.Schema, dir.File("model.zip"));
        var loaded = (LstmTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(history, loaded.Model.TrainingHistory);
    }

    [Fact]
    public void TrainingHistory_WithoutValidationRows_HasNoValidationFigures()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.BinaryClassification.Trainers.Lstm(LstmTestData.Options(nameof(SeqRow.Flag), epochs: 3))
            .Fit(LstmTestData.Load(ml, 60, 5));
        Assert.Equal(3, model.Model.TrainingHistory.Count);
        Assert.All(model.Model.TrainingHistory, e => Assert.Null(e.ValidationLoss));
        Assert.All(model.Model.TrainingHistory, e => Assert.Null(e.ValidationMetric));
    }

    [Fact]
    public void AModelSavedBeforeHistoryWasKept_LoadsWithAnEmptyHistory_AndScoresAsBefore()
    {
        // testdata/lstm-transformer-v1.zip: LSTMTRNS version 1, written by commit f445820 from these rows (regression, 3
        // epochs, seed 3); the scores it gave then, in "R" format.
        float[] then = [0.013214704f, 0.025616203f, 0.013636459f, -0.038075745f, -0.04161749f, 0.10430511f];
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 6).Select(i => new V1Row { Features = [i % 3, 1, 2, i % 5, (i % 7) / 7f, 0.5f] }).ToList();
        string path = Path.Combine(AppContext.BaseDirectory, "MLNet", "testdata", "lstm-transformer-v1.zip");
        var loaded = (LstmTransformer)ml.Model.Load(path, out _);
        Assert.Empty(loaded.Model.TrainingHistory);
        Assert.Equal(3, loaded.Model.Options.NumberOfEpochs);
        Assert.Equal(then, loaded.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray());
    }

    /// <summary>The fixture's input rows: three steps of two features.</summary>
    public sealed class V1Row
    {
        [VectorType(6)] public float[] Features { get; set; } = [];
    }
}
