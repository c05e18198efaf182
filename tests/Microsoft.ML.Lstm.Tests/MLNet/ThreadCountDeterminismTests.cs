namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17: a seed gives byte-identical saved model entries across runs and for 1, 2 and 4 training threads, for every
/// trainer of one sequence per row (in memory and streamed) and the forecaster, with what makes the thread count matter switched on: two
/// bidirectional layers, dropout on inputs and on the recurrent state, a batch size no thread count divides, and a
/// validation split. Only the wall-clock figures of the history and the recorded thread count are set aside
/// (<see cref="SavedEntries.OfTrained"/>).
/// </summary>
public class ThreadCountDeterminismTests
{
    public static TheoryData<string> Trainers => ["regression", "binary", "multiclass", "tagger", "binary, streamed"];

    [Theory]
    [MemberData(nameof(Trainers))]
    public void OneSeed_GivesByteIdenticalEntries_ForOneTwoAndFourThreads_AndAcrossRuns(string trainer)
    {
        var ml = new MLContext(seed: 1);
        var (data, fit) = Case(ml, trainer);
        var one = SavedEntries.OfTrained(ml, fit(1, 5), data.Schema);
        foreach (int threads in new[] { 2, 4, 4 })
            SavedEntries.AssertIdentical(one, SavedEntries.OfTrained(ml, fit(threads, 5), data.Schema), $"{trainer}, {threads} threads");

        var otherSeed = SavedEntries.OfTrained(ml, fit(4, 6), data.Schema);
        string weights = one.Keys.Single(k => k.EndsWith("Weights.bin", StringComparison.Ordinal));
        Assert.False(one[weights].AsSpan().SequenceEqual(otherSeed[weights]), "seeds 5 and 6 gave the same weights");
    }

    [Fact]
    public void OneSeed_GivesByteIdenticalForecasterEntries_ForOneTwoAndFourThreads_AndAcrossRuns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ForecastByLstmTests.Series(130, 43));
        SortedDictionary<string, byte[]> Entries(int threads, int seed)
        {
            var o = ForecastByLstmTests.Options(110, exogenous: true);
            (o.EnsembleSize, o.NumberOfEpochs, o.NumberOfThreads, o.Seed) = (2, 6, threads, seed);
            return SavedEntries.OfTrained(ml, ml.Forecasting.ForecastByLstm(o).Fit(data), data.Schema);
        }
        var one = Entries(1, 5);
        foreach (int threads in new[] { 2, 4, 4 })
            SavedEntries.AssertIdentical(one, Entries(threads, 5), $"forecaster, {threads} threads");
        var otherSeed = Entries(4, 6);
        Assert.Contains(one.Keys, k => !one[k].AsSpan().SequenceEqual(otherSeed[k]));
    }

    /// <summary>The training rows of <paramref name="trainer"/> and its fit for a thread count and a seed.</summary>
    private static (IDataView Data, Func<int, int, LstmTransformer> Fit) Case(MLContext ml, string trainer)
    {
        LstmOptions Options(string label, int threads, int seed) => new()
        {
            LabelColumnName = label, FeaturesPerStep = 2, HiddenSize = 12, NumberOfLayers = 2, Bidirectional = true, Dropout = 0.2,
            RecurrentDropout = 0.1, NumberOfEpochs = 2, BatchSize = 37, LearningRate = 1e-2, ValidationFraction = 0.2, Seed = seed,
            NumberOfThreads = threads, ShufflePoolSize = trainer.EndsWith("streamed", StringComparison.Ordinal) ? 50 : null,
        };
        var rows = LstmTestData.Load(ml, 160, 41);
        switch (trainer)
        {
            case "regression":
                return (rows, (t, s) => ml.Regression.Trainers.Lstm(Options(nameof(SeqRow.Value), t, s)).Fit(rows));
            case "multiclass":
                {
                    var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(rows).Transform(rows);
                    return (keyed, (t, s) => ml.MulticlassClassification.Trainers.Lstm(Options("Label", t, s)).Fit(keyed));
                }
            case "tagger":
                {
                    var sentences = ml.Data.LoadFromEnumerable(TaggerTests.Sentences(120, 42, newStems: false));
                    var tagged = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggerTests.TagRow.Tags)).Fit(sentences)
                        .Transform(sentences);
                    return (tagged, (t, s) =>
                    {
                        var o = Options("Label", t, s);
                        (o.FeatureColumnName, o.FeaturesPerStep, o.EmbeddingSize) = (nameof(TaggerTests.TagRow.Words), 1, 6);
                        return ml.MulticlassClassification.Trainers.LstmTagger(o).Fit(tagged);
                    }
                    );
                }
            default:
                return (rows, (t, s) => ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), t, s)).Fit(rows));
        }
    }
}
