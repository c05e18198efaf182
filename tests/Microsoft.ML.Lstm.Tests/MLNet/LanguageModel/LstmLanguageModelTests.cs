using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm.Tests.MLNet.LanguageModel;

/// <summary>Training, scoring and generation of <see cref="LstmLanguageModelTransformer"/>.</summary>
public sealed class LstmLanguageModelTests
{
    /// <summary>
    /// A model whose every prediction is the same known distribution: all weights 0 but the head bias, which holds the
    /// log-probabilities of boundary, unknown, 'a', 'b' = 0.1, 0.1, 0.5, 0.3.
    /// </summary>
    private static LstmLanguageModelTransformer Toy()
    {
        var options = new LstmLanguageModelOptions { EmbeddingSize = 2, HiddenSize = 2, NumberOfLayers = 1, Seed = 1 };
        var vocabulary = new TextVocabulary(LstmTokenLevel.Character, [TextVocabulary.BoundaryName, TextVocabulary.UnknownName, "a", "b"]);
        var net = new LstmNetwork<float>(options.SpecFor(vocabulary.Count));
        float[] p = [0.1f, 0.1f, 0.5f, 0.3f];
        for (int c = 0; c < 4; c++) net.Parameters["head.b"][c] = MathF.Log(p[c]);
        return new LstmLanguageModelTransformer(options, vocabulary, net, []);
    }

    [Fact]
    public void Evaluate_MatchesTheBitsCountedByHand()
    {
        var toy = Toy();
        var m = toy.Evaluate("abba");
        double expected = -Math.Log2(0.5) - Math.Log2(0.3) - Math.Log2(0.3) - Math.Log2(0.5);
        Assert.Equal(expected, m.TotalBits, 4);
        Assert.Equal(4, m.TokenCount);
        Assert.Equal(4, m.CharacterCount);
        Assert.Equal(expected / 4, m.BitsPerCharacter, 4);
        Assert.Equal(Math.Pow(2, expected / 4), m.Perplexity, 4);
        // A character never seen in training is scored as the unknown token: finite.
        Assert.Equal(-Math.Log2(0.5) - Math.Log2(0.1), toy.Evaluate("az").TotalBits, 4);

        var ml = new MLContext(seed: 1);
        var rows = LanguageModelTestData.Rows(ml, "abba", "b");
        var all = toy.Evaluate(rows);
        Assert.Equal(expected - Math.Log2(0.3), all.TotalBits, 4);
        Assert.Equal(5, all.TokenCount);
        var column = toy.Transform(rows).GetColumn<float>("BitsPerToken").ToArray();
        Assert.Equal(expected / 4, column[0], 4);
        Assert.Equal(-Math.Log2(0.3), column[1], 4);
    }

    [Fact]
    public void Generate_IsGreedyAtTemperatureZero_AndRespectsTopK()
    {
        var toy = Toy();
        Assert.Equal(new string('a', 20), toy.Generate("b", 20, temperature: 0));
        Assert.Equal(new string('a', 20), toy.Generate("", 20, temperature: 5, topK: 1, seed: 3));
        string two = toy.Generate("ab", 400, temperature: 3, topK: 2, seed: 4);
        Assert.Equal(400, two.Length);
        Assert.All(two, c => Assert.Contains(c, "ab"));
        Assert.Contains('b', two);
        string all = toy.Generate("ab", 400, temperature: 1, seed: 4);
        Assert.Contains('\n', all);        // the boundary, drawn with probability 0.1
        Assert.Contains('\uFFFD', all);    // the unknown token
        Assert.Throws<ArgumentOutOfRangeException>(() => toy.Generate("a", 5, temperature: -1));
    }

    [Fact]
    public void LearnsATinyText_FarBetterThanUniformAndUnigram()
    {
        var (_, _, model) = LanguageModelTestData.Trained();
        string test = LanguageModelTestData.Text(1500, 99);
        double bits = model.Evaluate(test).BitsPerCharacter;
        string train = LanguageModelTestData.Text(2000, 1) + LanguageModelTestData.Text(2000, 2) + LanguageModelTestData.Text(2000, 3);
        double unigram = LanguageModelTestData.UnigramBits(train.Select(c => c.ToString()), test.Select(c => c.ToString()));
        double uniform = Math.Log2(model.Vocabulary.Count);
        Assert.True(bits < unigram - 2, $"{bits:F3} bits per character; the unigram model costs {unigram:F3}");
        Assert.True(bits < uniform - 3, $"{bits:F3} bits per character; uniform costs {uniform:F3}");
        Assert.Equal(model.Options.NumberOfEpochs, model.TrainingHistory.Count);
        Assert.Equal(["<boundary>", "<unk>", "\n", " ", "."], model.Vocabulary.Take(5));
    }

    [Fact]
    public void Generate_IsSeeded_AndCarryingTheStateEqualsRerunningThePrefix()
    {
        var (_, _, model) = LanguageModelTestData.Trained();
        string a = model.Generate("the ", 60, temperature: 1.2, seed: 11);
        Assert.Equal(a, model.Generate("the ", 60, temperature: 1.2, seed: 11));
        Assert.NotEqual(a, model.Generate("the ", 60, temperature: 1.2, seed: 12));
        string greedy = model.Generate("a dog ", 40, temperature: 0);
        string rerun = "";
        for (int i = 0; i < 40; i++) rerun += model.Generate("a dog " + rerun, 1, temperature: 0);
        Assert.Equal(greedy, rerun);
        Assert.Matches("^[a-z .\n]+$", greedy);
    }

    [Fact]
    public void Scoring_CarriesTheStateAcrossPieces_AsOneForwardPassWould()
    {
        var (_, _, model) = LanguageModelTestData.Trained(epochs: 1);
        var ids = model.TextVocabulary.Encode(LanguageModelTestData.Text(700, 5));
        double whole = LanguageModelEvaluation.BitsPerToken(model.Network, [ids]) * (ids.Length - 1);
        var (pieces, count) = LanguageModelEvaluation.Score(model.Network, ids, piece: 7);
        Assert.Equal(ids.Length - 1, count);
        Assert.Equal(whole, pieces, whole * 1e-5);
        Assert.Equal(whole, model.Evaluate(LanguageModelTestData.Text(700, 5)).TotalBits, whole * 1e-5);
    }

    [Fact]
    public void ASeed_GivesTheSameModel_WhateverTheThreadCount()
    {
        var ml = new MLContext();
        var train = LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(1500, 1));
        var o = LanguageModelTestData.Options(epochs: 2);
        var one = ml.Transforms.Text.LstmLanguageModel(o).Fit(train);
        o.NumberOfThreads = 2;
        var two = ml.Transforms.Text.LstmLanguageModel(o).Fit(train);
        Assert.Equal(one.Network.Parameters.Values, two.Network.Parameters.Values);
        o.Seed = 6;
        Assert.NotEqual(one.Network.Parameters.Values, ml.Transforms.Text.LstmLanguageModel(o).Fit(train).Network.Parameters.Values);
    }

    [Fact]
    public void WordLevel_LearnsWords_AndGeneratesThemJoinedBySpaces()
    {
        var (_, _, model) = LanguageModelTestData.Trained(LstmTokenLevel.Word, epochs: 8);
        Assert.Equal(LstmTokenLevel.Word, model.Level);
        Assert.Contains("garden", model.Vocabulary);
        Assert.Contains(".", model.Vocabulary);
        Assert.DoesNotContain(" ", model.Vocabulary);
        string test = LanguageModelTestData.Text(1500, 99);
        var m = model.Evaluate(test);
        var words = TextVocabulary.Split(LstmTokenLevel.Word, test).ToList();
        Assert.Equal(words.Count, m.TokenCount);
        string train = LanguageModelTestData.Text(2000, 1) + LanguageModelTestData.Text(2000, 2) + LanguageModelTestData.Text(2000, 3);
        double unigram = LanguageModelTestData.UnigramBits(TextVocabulary.Split(LstmTokenLevel.Word, train), words);
        Assert.True(m.BitsPerToken < unigram - 1, $"{m.BitsPerToken:F3} bits per word; the unigram model costs {unigram:F3}");
        string generated = model.Generate("The cat", 30, temperature: 0.5, seed: 2);
        var parts = generated.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(30, parts.Length + generated.Count(c => c == '\n'));   // a drawn boundary is a line break
        Assert.All(parts, w => Assert.Contains(w, model.Vocabulary));
        Assert.True(double.IsFinite(model.Evaluate("the zebra sees the mat.").BitsPerToken));   // an unknown word
        Assert.Equal(["don't", "stop", ",", "bob", "!"], TextVocabulary.Split(LstmTokenLevel.Word, "Don't stop, Bob!"));
    }
}
