using System.Text;

namespace Microsoft.ML.Lstm.Tests.MLNet.LanguageModel;

/// <summary>One text per row, as a language model reads it.</summary>
public sealed class TextRow
{
    public string Text { get; set; } = "";
}

/// <summary>Small seeded texts and a small, fast language model for the tests.</summary>
internal static class LanguageModelTestData
{
    private static readonly string[] Subjects = ["the cat", "a dog", "the old man", "my sister", "the bird"];
    private static readonly string[] Verbs = ["sees", "likes", "follows", "hears", "finds"];
    private static readonly string[] Objects = ["the mat.", "a red ball.", "the river.", "her friend.", "the garden."];

    /// <summary>Sentences of a tiny grammar, about <paramref name="characters"/> characters.</summary>
    public static string Text(int characters, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        while (sb.Length < characters)
            sb.Append(Subjects[rng.Next(Subjects.Length)]).Append(' ').Append(Verbs[rng.Next(Verbs.Length)]).Append(' ')
                .Append(Objects[rng.Next(Objects.Length)]).Append(rng.Next(4) == 0 ? '\n' : ' ');
        return sb.ToString();
    }

    public static IDataView Rows(MLContext ml, params string[] texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));

    public static LstmLanguageModelOptions Options(LstmTokenLevel level = LstmTokenLevel.Character, int epochs = 6) => new()
    {
        Level = level, EmbeddingSize = 16, HiddenSize = 48, NumberOfLayers = 1, Dropout = 0, SequenceLength = 32, BatchSize = 16,
        NumberOfEpochs = epochs, LearningRate = 1e-2, ValidationFraction = 0, EarlyStoppingPatience = 0, Seed = 5,
        NumberOfThreads = 1, LearningRateSchedule = LstmLearningRateSchedule.Constant,
    };

    /// <summary>A model trained on three texts of the tiny grammar (about 6,000 characters).</summary>
    public static (MLContext Ml, IDataView Train, LstmLanguageModelTransformer Model) Trained(
        LstmTokenLevel level = LstmTokenLevel.Character, int epochs = 6)
    {
        var ml = new MLContext(seed: 1);
        var train = Rows(ml, Text(2000, 1), Text(2000, 2), Text(2000, 3));
        return (ml, train, ml.Transforms.Text.LstmLanguageModel(Options(level, epochs)).Fit(train));
    }

    /// <summary>Cross-entropy in bits per token of <paramref name="test"/> under the add-one unigram of <paramref name="train"/>.</summary>
    public static double UnigramBits(IEnumerable<string> train, IEnumerable<string> test)
    {
        var counts = train.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count() + 1.0);
        double total = counts.Values.Sum() + 1;   // one count for anything unseen
        var items = test.ToList();
        return items.Sum(t => -Math.Log2(counts.GetValueOrDefault(t, 1.0) / total)) / items.Count;
    }
}
