using System.IO.Compression;
using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Tests.MLNet.LanguageModel;

/// <summary>Saving and loading a language model in the ML.NET model zip, and bad input.</summary>
public sealed class LstmLanguageModelPersistenceTests
{
    private static byte[] Save(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    [Fact]
    public void SaveAndLoad_GiveTheSameGenerationAndScores()
    {
        var (ml, train, model) = LanguageModelTestData.Trained(epochs: 2);
        var loaded = Assert.IsType<LstmLanguageModelTransformer>(ml.Model.Load(new MemoryStream(Save(ml, model, train)), out _));
        Assert.Equal(model.Vocabulary, loaded.Vocabulary);
        Assert.Equal(model.TrainingHistory, loaded.TrainingHistory);
        Assert.Equal(model.Options.Seed, loaded.Options.Seed);
        Assert.Equal(model.Options.HiddenSize, loaded.Options.HiddenSize);
        Assert.Equal(model.Generate("the ", 80, 0.8, 3, seed: 4), loaded.Generate("the ", 80, 0.8, 3, seed: 4));
        string test = LanguageModelTestData.Text(500, 7);
        Assert.Equal(model.Evaluate(test).TotalBits, loaded.Evaluate(test).TotalBits);
        var rows = LanguageModelTestData.Rows(ml, test, "a dog");
        Assert.Equal(model.Transform(rows).GetColumn<float>("BitsPerToken"), loaded.Transform(rows).GetColumn<float>("BitsPerToken"));

        // In a pipeline, and through a PredictionEngine.
        var chain = ml.Transforms.CopyColumns("Copy", "Text").Append(ml.Transforms.Text.LstmLanguageModel(
            LanguageModelTestData.Options(epochs: 1))).Fit(train);
        var again = ml.Model.Load(new MemoryStream(Save(ml, chain, train)), out _);
        var engine = ml.Model.CreatePredictionEngine<TextRow, Scored>(again);
        Assert.Equal(chain.Transform(rows).GetColumn<float>("BitsPerToken").First(),
            engine.Predict(new TextRow { Text = test }).BitsPerToken);
    }

    [Fact]
    public void AFreshProcess_LoadsTheModel_AndScoresAlike()
    {
        var (ml, train, model) = LanguageModelTestData.Trained(epochs: 1);
        using var dir = new TempDirectory();
        string modelPath = dir.File("model.zip"), inputPath = dir.File("input.idv"), outputPath = dir.File("scores.idv");
        ml.Model.Save(model, train.Schema, modelPath);
        var test = LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(300, 8), "the bird hears a red ball.");
        using (var f = File.Create(inputPath)) ml.Data.SaveAsBinary(test, f);
        var run = ModelLoadHostProcess.Run(TimeSpan.FromMinutes(2), modelPath, inputPath, outputPath);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("transformer: Microsoft.ML.Lstm.LstmLanguageModelTransformer", run.StandardOutput);
        Assert.Equal(model.Transform(test).GetColumn<float>("BitsPerToken").Select(BitConverter.SingleToInt32Bits),
            ml.Data.LoadFromBinary(outputPath).GetColumn<float>("BitsPerToken").Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void BadInput_NamesTheColumnAndTheRow()
    {
        var ml = new MLContext(seed: 1);
        var estimator = ml.Transforms.Text.LstmLanguageModel(LanguageModelTestData.Options(epochs: 1));
        var empty = LanguageModelTestData.Rows(ml, "the cat sees the mat.", "a dog", "");
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(empty));
        Assert.Contains("Text column 'Text', row 2: the text is empty", e.Message);

        var model = estimator.Fit(LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(400, 1)));
        e = Assert.Throws<ArgumentException>(() => model.Transform(empty).GetColumn<float>("BitsPerToken").ToArray());
        Assert.Contains("Text column 'Text', row 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Evaluate(empty));
        Assert.Contains("Text column 'Text', row 2", e.Message);

        var numbers = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });
        e = Assert.Throws<ArgumentException>(() => estimator.Fit(numbers));
        Assert.Contains("Text column 'Text' has type Single", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Transform(numbers));
        Assert.Contains("Text column 'Text' has type Single", e.Message);
        e = Assert.Throws<ArgumentException>(() => estimator.GetOutputSchema(SchemaShape.Create(numbers.Schema)));
        Assert.Contains("Text column 'Text'", e.Message);

        var other = ml.Transforms.Text.LstmLanguageModel(new LstmLanguageModelOptions { InputColumnName = "Body" });
        e = Assert.Throws<ArgumentException>(() => other.Fit(empty));
        Assert.Contains("Text column 'Body' not found", e.Message);
        e = Assert.Throws<ArgumentException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(Array.Empty<TextRow>())));
        Assert.Contains("Text column 'Text' has no rows", e.Message);
        var words = ml.Transforms.Text.LstmLanguageModel(LanguageModelTestData.Options(LstmTokenLevel.Word, epochs: 1))
            .Fit(LanguageModelTestData.Rows(ml, LanguageModelTestData.Text(400, 1)));
        e = Assert.Throws<ArgumentException>(() => words.Evaluate(LanguageModelTestData.Rows(ml, "a dog", "   ")));
        Assert.Contains("Text column 'Text', row 1: the text has no word", e.Message);

        var bad = new LstmLanguageModelOptions { SequenceLength = 0 };
        e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Text.LstmLanguageModel(bad));
        Assert.Equal("SequenceLength", e.ParamName);
        bad = new LstmLanguageModelOptions { HiddenSize = -1 };
        Assert.Equal("HiddenSize", Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.Text.LstmLanguageModel(bad)).ParamName);
    }

    [Fact]
    public void ACorruptFile_FailsWithAClearError()
    {
        var (ml, train, model) = LanguageModelTestData.Trained(epochs: 1);
        byte[] zip = Save(ml, model, train);
        string weights = Entries(zip).Single(n => n.EndsWith("Weights.bin", StringComparison.Ordinal));
        string main = Entries(zip).Single(n => n.EndsWith("Model.key", StringComparison.Ordinal) || n == "Model/Model.key");

        var e = LoadFails(ml, Rewrite(zip, weights, b => b[..(b.Length / 2)]));
        Assert.Contains("weights", e.Message);
        Assert.Contains("Weights.bin", e.Message);
        // A vocabulary count of 2^20 in a short file fails on the stream's length, without allocating for it.
        e = LoadFails(ml, Rewrite(zip, main, b => Patched(b, "vocabularyCount")));
        Assert.Contains("field 'token'", e.Message);
    }

    private static byte[] Patched(byte[] main, string field)
    {
        // The vocabulary count follows the settings block; find it as the int32 equal to the vocabulary size followed by the
        // UTF-8 length-prefixed "<boundary>".
        var marker = System.Text.Encoding.UTF8.GetBytes(TextVocabulary.BoundaryName);
        for (int i = 4; i + marker.Length < main.Length; i++)
            if (main.AsSpan(i, marker.Length).SequenceEqual(marker))
            {
                int at = i - 4 - 4;   // the string's int32 length prefix, and the count before it
                var copy = main.ToArray();
                BitConverter.GetBytes(1 << 20).CopyTo(copy, at);
                return copy;
            }
        throw new InvalidOperationException($"{field} not found");
    }

    private static List<string> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e => e.FullName)];
    }

    private static byte[] Rewrite(byte[] zip, string name, Func<byte[], byte[]> rewrite)
    {
        var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry(name)!;
            byte[] old;
            using (var s = entry.Open())
            using (var copy = new MemoryStream()) { s.CopyTo(copy); old = copy.ToArray(); }
            entry.Delete();
            using var replaced = archive.CreateEntry(name).Open();
            replaced.Write(rewrite(old));
        }
        return stream.ToArray();
    }

    private static InvalidDataException LoadFails(MLContext ml, byte[] zip)
    {
        var ex = Assert.ThrowsAny<Exception>(() => ml.Model.Load(new MemoryStream(zip), out _));
        for (Exception? e = ex; e != null; e = e.InnerException)
            if (e is InvalidDataException found) return found;
        Assert.Fail($"Expected an InvalidDataException inside {ex}");
        return null!;
    }

    private sealed class NumberRow
    {
        public float Text { get; set; }
    }

    private sealed class Scored
    {
        public float BitsPerToken { get; set; }
    }
}
