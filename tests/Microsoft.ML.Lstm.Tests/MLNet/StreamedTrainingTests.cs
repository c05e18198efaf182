using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17: training streamed from the data view (<see cref="LstmOptions.ShufflePoolSize"/>) learns like training on rows
/// in memory, gives the same model for a seed, holds no more than its pool, and fails on bad rows and bad settings as the
/// in-memory path does.
/// </summary>
public class StreamedTrainingTests
{
    private const int Pool = 48;

    private static LstmOptions Options(string label, int? pool, int epochs = 12, double validation = 0)
    {
        var o = LstmTestData.Options(label, epochs);
        (o.ShufflePoolSize, o.ValidationFraction) = (pool, validation);
        return o;
    }

    [Fact]
    public void StreamedTrainingLearnsAsWellAsTrainingInMemory()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 600, 21);
        var test = LstmTestData.Load(ml, 300, 22);
        double Accuracy(int? pool) => ml.BinaryClassification.Evaluate(
            ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), pool)).Fit(train).Transform(test),
            nameof(SeqRow.Flag)).Accuracy;
        double inMemory = Accuracy(null), streamed = Accuracy(Pool);
        Assert.True(inMemory > 0.85, $"in memory: accuracy {inMemory}");
        Assert.True(streamed > inMemory - 0.05, $"streamed: accuracy {streamed}, in memory {inMemory}");
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelEntries_AnotherSeedOtherWeights()
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 200, 23);
        SortedDictionary<string, byte[]> Entries(int seed)
        {
            var o = Options(nameof(SeqRow.Flag), Pool, epochs: 3, validation: 0.2);
            o.Seed = seed;
            return SavedEntries.OfTrained(ml, ml.BinaryClassification.Trainers.Lstm(o).Fit(train), train.Schema);
        }
        var first = Entries(5);
        SavedEntries.AssertIdentical(first, Entries(5), "a second streamed run with seed 5");
        var other = Entries(6);
        var weights = first.Keys.Single(k => k.EndsWith("Weights.bin", StringComparison.Ordinal));
        Assert.False(first[weights].AsSpan().SequenceEqual(other[weights]), "seeds 5 and 6 gave the same weights");
    }

    [Fact]
    public void RegressionLabelsFarFromZeroAreScaled_AndValidationAndEarlyStoppingWork()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(400, 24);
        rows.ForEach(r => r.Value += 300);
        var test = LstmTestData.Rows(200, 25);
        test.ForEach(r => r.Value += 300);
        var o = Options(nameof(SeqRow.Value), Pool, epochs: 15, validation: 0.2);
        o.EarlyStoppingPatience = 4;
        var model = ml.Regression.Trainers.Lstm(o).Fit(ml.Data.LoadFromEnumerable(rows));
        var metrics = ml.Regression.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)), nameof(SeqRow.Value));
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
        Assert.All(model.Model.TrainingHistory, p => Assert.True(p.ValidationLoss is > 0 and < double.PositiveInfinity));
    }

    [Fact]
    public void AnEpochHoldsNoMoreRowsThanThePool_AndTheSplitCoversEveryRowOnce()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(500, 26);
        var source = new CountingRows(rows);
        var data = ml.Data.LoadFromEnumerable(source);
        var o = Options(nameof(SeqRow.Flag), Pool);
        var spec = LstmModelParameters.SpecFor(o, LstmTask.BinaryClassification, 0, null, 1);
        StreamedTrainingData Scan(LstmOptions options) => StreamedTrainingData.Scan(data, options, LstmTask.BinaryClassification,
            new FeatureInput(0, false), null, spec, LossKind.SigmoidBinaryCrossEntropy, seed: 9, checkAlive: null);

        var stream = Scan(o);
        Assert.Equal(rows.Count, stream.Rows);
        long start = source.Produced, taken = 0;
        foreach (var _ in stream.Training(new Rng(1)))
        {
            taken++;
            Assert.True(source.Produced - start - taken <= Pool, $"{source.Produced - start} rows read, {taken} trained on");
        }
        Assert.Equal(rows.Count, taken);

        // With a validation fraction the held-out and training rows are disjoint and together every row, once.
        o.ValidationFraction = 0.25;
        stream = Scan(o);
        var training = stream.Training(new Rng(2)).Select(s => s.Features![0]).ToList();
        var held = stream.Validation().Select(s => s.Features![0]).ToList();
        Assert.Equal(stream.ValidationRows, held.Count);
        Assert.InRange(held.Count, 90, 160);   // about 125
        Assert.Equal(rows.Select(r => r.Features[0]).Order(), training.Concat(held).Order());
    }

    [Fact]
    public void ABadRowFailsNamingItsColumnAndRow_AsInMemory()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(60, 27);
        rows[7].Features[3] = float.NaN;
        string Message(int? pool) => Assert.Throws<ArgumentException>(() =>
            ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), pool, epochs: 1))
                .Fit(ml.Data.LoadFromEnumerable(rows))).Message;
        Assert.Contains("Feature column 'Features', row 7: value 3 is NaN", Message(Pool));
        Assert.Equal(Message(null), Message(Pool));

        rows = LstmTestData.Rows(60, 27);
        rows[5].Value = float.PositiveInfinity;
        var label = Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.Lstm(Options(nameof(SeqRow.Value), Pool, epochs: 1))
            .Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Label column 'Value', row 5", label.Message);
    }

    [Fact]
    public void ADataViewThatChangesBetweenPassesFails()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new CountingRows(LstmTestData.Rows(100, 28), laterPassRows: 90));
        var e = Assert.Throws<InvalidOperationException>(() =>
            ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), Pool, epochs: 1)).Fit(data));
        Assert.Contains("100 rows in the first pass and 90", e.Message);
    }

    [Fact]
    public void ABinaryLabelOfOneClassFailsAsInMemory()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(40, 29);
        rows.ForEach(r => r.Flag = true);
        string Message(int? pool) => Assert.Throws<ArgumentException>(() =>
            ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), pool, epochs: 1))
                .Fit(ml.Data.LoadFromEnumerable(rows))).Message;
        Assert.Contains("is True in all 40 training rows", Message(Pool));
        Assert.Equal(Message(null), Message(Pool));
    }

    [Fact]
    public void AMulticlassLabelOfOneClassFailsAsInMemory()
    {
        var ml = new MLContext(seed: 1);
        var rows = LstmTestData.Rows(40, 29);
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(ml.Data.LoadFromEnumerable(rows));
        rows.ForEach(r => r.Part = rows[0].Part);   // the key holds three classes; the rows use one
        var data = keys.Transform(ml.Data.LoadFromEnumerable(rows));
        string Message(int? pool) => Assert.Throws<ArgumentException>(() =>
            ml.MulticlassClassification.Trainers.Lstm(Options("Label", pool, epochs: 1)).Fit(data)).Message;
        Assert.Contains("in all 40 training rows: a classifier needs rows of at least two classes", Message(Pool));
        Assert.Equal(Message(null), Message(Pool));
    }

    [Fact]
    public void BadSettingsAreRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag), 0)));
        Assert.Equal(nameof(LstmOptions.ShufflePoolSize), zero.ParamName);

        var withoutLabel = Assert.Throws<ArgumentException>(() => ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
        {
            FeatureColumnName = nameof(SeqRow.Features), FeaturesPerStep = 2, ShufflePoolSize = Pool,
        }).Fit(LstmTestData.Load(ml, 20, 1)));
        Assert.Equal(nameof(LstmOptions.ShufflePoolSize), withoutLabel.ParamName);

        var letters = ml.Transforms.Conversion.MapValueToKey("Label", nameof(CtcTrainerTests.SpokenRow.Letters));
        var ctc = Assert.Throws<ArgumentException>(() => letters
            .Append(ml.MulticlassClassification.Trainers.LstmCtc(new LstmOptions
            {
                FeatureColumnName = nameof(CtcTrainerTests.SpokenRow.Frames), FeaturesPerStep = CtcTrainerTests.F, ShufflePoolSize = Pool,
            })).Fit(ml.Data.LoadFromEnumerable(CtcTrainerTests.Rows(20, 1))));
        Assert.Equal(nameof(LstmOptions.ShufflePoolSize), ctc.ParamName);
    }
}
