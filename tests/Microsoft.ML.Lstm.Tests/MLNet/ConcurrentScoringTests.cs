using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17: 16 threads at once, twelve with their own PredictionEngine and four running Transform over the whole test set,
/// on one loaded model, give exactly the scores of one engine used alone, round after round.
/// </summary>
public class ConcurrentScoringTests
{
    [Fact]
    public void SixteenThreads_OwnEnginesAndParallelTransforms_GiveTheSequentialScores()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(LstmTestData.Load(ml, 200, 51))
            .Transform(LstmTestData.Load(ml, 200, 51));
        var o = LstmTestData.Options("Label", epochs: 3);
        (o.Bidirectional, o.NumberOfLayers, o.Pooling) = (true, 2, LstmPooling.Attention);
        var trained = ml.MulticlassClassification.Trainers.Lstm(o).Fit(train);
        using var dir = new TempDirectory();
        ml.Model.Save(trained, train.Schema, dir.File("model.zip"));
        var model = ml.Model.Load(dir.File("model.zip"), out _);   // as a service would: one loaded model, shared

        var rows = LstmTestData.Rows(120, 52);
        var view = ml.Data.LoadFromEnumerable(rows);
        var alone = ml.Model.CreatePredictionEngine<SeqRow, PartPrediction>(model);
        var expected = rows.Select(r => alone.Predict(r).Score).ToArray();
        Assert.Equal(expected, model.Transform(view).GetColumn<float[]>("Score").ToArray());

        const int Threads = 16, Transforms = 4, Rounds = 3;
        var failures = new List<string>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(k => new Thread(() =>
        {
            var engine = k < Transforms ? null : ml.Model.CreatePredictionEngine<SeqRow, PartPrediction>(model);
            start.SignalAndWait();
            for (int round = 0; round < Rounds; round++)
            {
                var got = engine is null
                    ? model.Transform(view).GetColumn<float[]>("Score").ToArray()
                    : [.. rows.Select((_, i) => engine.Predict(rows[(i + 7 * k) % rows.Count]).Score)];
                for (int i = 0; i < got.Length; i++)
                {
                    int row = engine is null ? i : (i + 7 * k) % rows.Count;
                    if (got[i].AsSpan().SequenceEqual(expected[row])) continue;
                    lock (failures) failures.Add($"thread {k} ({(engine is null ? "Transform" : "engine")}), round {round}, row {row}");
                    return;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }
}
