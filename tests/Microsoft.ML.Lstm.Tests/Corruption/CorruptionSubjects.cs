using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Tests.MLNet;
using Microsoft.ML.Lstm.Tests.MLNet.LanguageModel;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>
/// One saved model (or engine state) to corrupt: its bytes, whether they are a zip, and how to load bytes of its kind and
/// compute its answer (every output value, bit for bit, as text), for comparison with the uncorrupted model's.
/// </summary>
internal sealed record CorruptionSubject(string Kind, byte[] Bytes, bool IsZip, Func<MLContext, byte[], string> Answer);

/// <summary>
/// Tiny models of every kind the library saves, trained once per process with few epochs: the scorer for regression, binary
/// and multiclass, the tagger, CTC, the featurizer, the language model, the forecaster, a forecaster checkpoint, a global
/// forecaster and an engine state (LSTMSTAT).
/// </summary>
internal static class CorruptionSubjects
{
    private static readonly Lazy<IReadOnlyList<CorruptionSubject>> Trained = new(Train);

    public static IReadOnlyList<CorruptionSubject> All => Trained.Value;

    private static IReadOnlyList<CorruptionSubject> Train()
    {
        var ml = new MLContext(seed: 1);
        var seq = LstmTestData.Load(ml, 40, 1);
        var seqTest = LstmTestData.Load(ml, 4, 2);
        LstmOptions Options(string label) => Small(LstmTestData.Options(label, epochs: 2));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(SeqRow.Part)).Fit(seq).Transform(seq);
        var tags = ml.Data.LoadFromEnumerable(TaggerTests.Sentences(40, 1, newStems: false));
        var tagTest = ml.Data.LoadFromEnumerable(TaggerTests.Sentences(4, 2, newStems: false));
        var tagged = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TaggerTests.TagRow.Tags)).Fit(tags).Transform(tags);
        var spoken = ml.Data.LoadFromEnumerable(CtcTrainerTests.Rows(40, 1));
        var spokenTest = ml.Data.LoadFromEnumerable(CtcTrainerTests.Rows(4, 2));
        var letters = ml.Transforms.Conversion.MapValueToKey("Label", nameof(CtcTrainerTests.SpokenRow.Letters)).Fit(spoken)
            .Transform(spoken);
        var text = LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(400, 1));
        var textTest = LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(60, 2), LanguageModelTestData.Text(40, 3));

        var subjects = new List<CorruptionSubject>
        {
            Scorer("regression", ml.Regression.Trainers.Lstm(Options(nameof(SeqRow.Value))).Fit(seq), seqTest, "Score"),
            Scorer("binary", ml.BinaryClassification.Trainers.Lstm(Options(nameof(SeqRow.Flag))).Fit(seq), seqTest,
                "Score", "Probability", "PredictedLabel"),
            Scorer("multiclass", ml.MulticlassClassification.Trainers.Lstm(Options("Label")).Fit(keyed), seqTest,
                "Score", "PredictedLabel"),
            Scorer("tagger", ml.MulticlassClassification.Trainers.LstmTagger(Small(new LstmOptions
            {
                FeatureColumnName = nameof(TaggerTests.TagRow.Words), EmbeddingSize = 4, Bidirectional = true, Seed = 4,
            })).Fit(tagged), tagTest, "Score", "PredictedLabel"),
            Scorer("ctc", ml.MulticlassClassification.Trainers.LstmCtc(Small(new LstmOptions
            {
                FeatureColumnName = nameof(CtcTrainerTests.SpokenRow.Frames), FeaturesPerStep = 4, Seed = 7,
            })).Fit(letters), spokenTest, "Score", "PredictedLabel"),
            Scorer("featurizer", ml.Transforms.LstmFeaturizer(new LstmFeaturizerOptions
            {
                OutputColumnName = "Encoded", FeatureColumnName = nameof(SeqRow.Features), LabelColumnName = nameof(SeqRow.Flag),
                FeaturesPerStep = 2, HiddenSize = 4, NumberOfEpochs = 2, BatchSize = 16, Seed = 5, NumberOfThreads = 1,
            }).Fit(seq), seqTest, "Encoded"),
            Scorer("language model", ml.Transforms.Text.LstmLanguageModel(SmallLanguageModel()).Fit(text), textTest, "BitsPerToken"),
        };
        subjects.AddRange(CorruptionForecastSubjects.Train(ml));
        return subjects;
    }

    private static LstmLanguageModelOptions SmallLanguageModel()
    {
        var o = LanguageModelTestData.Options(epochs: 1);
        (o.HiddenSize, o.EmbeddingSize, o.SequenceLength) = (8, 4, 16);
        return o;
    }

    private static LstmOptions Small(LstmOptions o)
    {
        (o.HiddenSize, o.NumberOfEpochs, o.BatchSize, o.NumberOfThreads) = (4, 2, 16, 1);
        return o;
    }

    /// <summary>A transformer saved alone; its answer is every value of <paramref name="columns"/> on <paramref name="test"/>.</summary>
    private static CorruptionSubject Scorer(string kind, ITransformer model, IDataView test, params string[] columns)
    {
        var ml = new MLContext(seed: 1);
        using var saved = new MemoryStream();
        ml.Model.Save(model, test.Schema, saved);
        return new CorruptionSubject(kind, saved.ToArray(), IsZip: true, (context, bytes) =>
        {
            var loaded = context.Model.Load(new MemoryStream(bytes), out _);
            return Values(loaded.Transform(test), columns);
        });
    }

    /// <summary>Every value of the columns, floats and keys by their bits, as text.</summary>
    internal static string Values(IDataView data, string[] columns)
    {
        var sb = new StringBuilder();
        foreach (var name in columns)
        {
            var column = data.Schema[name];
            var type = column.Type.GetItemType().RawType;
            bool vector = column.Type is VectorDataViewType;
            IEnumerable<object> values = (type, vector) switch
            {
                (var t, false) when t == typeof(float) =>
                    data.GetColumn<float>(name).Select(v => (object)BitConverter.SingleToInt32Bits(v)),
                (var t, true) when t == typeof(float) => data.GetColumn<float[]>(name).Select(v => (object)Bits(v)),
                (var t, false) when t == typeof(uint) => data.GetColumn<uint>(name).Select(v => (object)v),
                (var t, true) when t == typeof(uint) => data.GetColumn<uint[]>(name).Select(v => (object)string.Join(",", v)),
                (var t, false) when t == typeof(bool) => data.GetColumn<bool>(name).Select(v => (object)v),
                _ => throw new NotSupportedException($"Column {name} of type {column.Type}."),
            };
            sb.Append(name).Append('=').AppendJoin(';', values).Append('\n');
        }
        return sb.ToString();
    }

    internal static string Bits(float[] values) =>
        string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture)));
}
