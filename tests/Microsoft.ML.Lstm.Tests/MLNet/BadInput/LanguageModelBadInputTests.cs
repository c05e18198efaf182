using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Tests.MLNet.LanguageModel;
using static Microsoft.ML.Lstm.Tests.Forecasting.ForecastInputErrorTests;

namespace Microsoft.ML.Lstm.Tests.MLNet.BadInput;

/// <summary>A character language model trained once (400 characters, one epoch) for <see cref="LanguageModelBadInputTests"/>.</summary>
public sealed class LanguageModelFixture
{
    public MLContext Ml { get; } = new(seed: 1);

    public LanguageModelFixture() => Model = Estimator().Fit(LanguageModelTestData.Rows(Ml, LanguageModelTestData.Text(400, 1)));

    public LstmLanguageModelTransformer Model { get; }

    public LstmLanguageModelEstimator Estimator() => Ml.Transforms.Text.LstmLanguageModel(LanguageModelTestData.Options(epochs: 1));

    public float Predict(string text) =>
        Ml.Model.CreatePredictionEngine<TextRow, Bits>(Model).Predict(new TextRow { Text = text }).BitsPerToken;

    /// <summary>The language model's output column.</summary>
    public sealed class Bits
    {
        public float BitsPerToken { get; set; }
    }
}

/// <summary>
/// The bad-input matrix of <c>mlContext.Transforms.Text.LstmLanguageModel</c> (docs/bad-input.md). Empty texts at Fit, Transform and
/// Evaluate, a Single column, a missing column, zero rows at Fit and a word model's blank text are in
/// <see cref="LstmLanguageModelPersistenceTests"/>; this class adds the other rows.
/// </summary>
public class LanguageModelBadInputTests(LanguageModelFixture lm) : IClassFixture<LanguageModelFixture>
{
    /// <summary>A null text reads as empty: refused at Fit and in a PredictionEngine, naming the column and the row.</summary>
    [Fact]
    public void NullOrEmptyText_IsNamedAtFitAndInAPredictionEngine()
    {
        var rows = lm.Ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "the cat" }, new TextRow { Text = null! } });
        Fails(() => lm.Estimator().Fit(rows), "Text column 'Text', row 1: the text is empty");
        Fails(() => lm.Predict(""), "Text column 'Text', row 0: the text is empty");
        Fails(() => lm.Model.Evaluate(""), "The text is empty");
    }

    /// <summary>A vector of text (e.g. tokenized words) is not a text column: named, with the type expected.</summary>
    [Fact]
    public void AVectorOfTextIsAWrongType()
    {
        var words = lm.Ml.Data.LoadFromEnumerable(new[] { new WordsRow() });
        Fails(() => lm.Estimator().Fit(words), "Text column 'Text' has type Vector<String>; a language model reads text (String)");
        Fails(() => lm.Model.Transform(words), "Text column 'Text' has type Vector<String>");
    }

    /// <summary>
    /// One row of one character trains; the character, seen once, is learned as the unknown token (as every token seen once is), so
    /// the vocabulary is the boundary and the unknown token. Zero rows score to nothing and cannot be evaluated.
    /// </summary>
    [Fact]
    public void OneRowOfOneCharacterTrains_ZeroRowsScoreToNothing()
    {
        var one = lm.Estimator().Fit(LanguageModelTestData.Rows(lm.Ml, "a"));
        Assert.Equal(["<boundary>", "<unk>"], one.Vocabulary);
        Assert.True(float.IsFinite(one.Transform(LanguageModelTestData.Rows(lm.Ml, "a")).GetColumn<float>("BitsPerToken").Single()));
        var none = lm.Ml.Data.LoadFromEnumerable(Array.Empty<TextRow>());
        Assert.Empty(lm.Model.Transform(none).GetColumn<float>("BitsPerToken"));
        Fails(() => lm.Model.Evaluate(none), "Text column 'Text' has no rows to evaluate");
    }

    /// <summary>
    /// Characters never seen in training score as the unknown token (finite, and worse than seen text); a prefix of them, or an empty
    /// one, still generates (the continuation alone is returned).
    /// </summary>
    [Fact]
    public void UnseenCharactersScoreAsUnknown_AndAnyPrefixGenerates()
    {
        float unseen = lm.Predict("€€€ zq"), seen = lm.Predict("the cat sees the mat.");
        Assert.True(float.IsFinite(unseen) && unseen > seen, $"unseen {unseen} vs seen {seen} bits per token");
        Assert.Equal(10, lm.Model.Generate("", 10, seed: 1).Length);
        Assert.Equal(10, lm.Model.Generate("€€", 10, seed: 1).Length);
    }

    /// <summary>Words of a text: a vector where the model wants one string.</summary>
    public sealed class WordsRow
    {
        public string[] Text { get; set; } = ["the", "cat"];
    }
}
