using System.Text;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17 items 3 and 4 for the forecaster (LSTMFCST) and its checkpoints: version 4 ends both entries in a SHA-256;
/// counts and sizes are checked against the bytes present before anything is allocated for them; stored values that no
/// trained model holds (a Box–Cox λ of 1e-12, seasonal indices that do not average 1, h outside [−1, 1]) fail the load.
/// </summary>
public class ForecastCorruptionTests
{
    // testdata/lstm-forecasting-v3.zip and lstm-forecasting-checkpoint-v3.zip: LSTMFCST version 3, written by commit 8111bfe
    // (ForecastByLstmTests.Options(100, exogenous: true) with 3 epochs, 2 members, PowerTransform On, LogTransform Off, on
    // Series(100, seed 1)); the checkpoint after Predict({ Value = 72.5, Promo = 1 }). What the model forecast then; an
    // engine of the checkpoint forecasts the same, holding the last observed covariate (Promo = 1). (Until the engine
    // started from the state's last covariates it held them at 0 and forecast 75.282, 70.21472, … instead.)
    private static readonly float[][] Recorded =
    [
        [75.51072f, 70.44344f, 65.359535f, 60.776554f, 59.37511f, 62.22886f],
        [74.384224f, 69.31812f, 64.25218f, 59.669724f, 58.250767f, 61.105293f],
        [77.276634f, 72.1675f, 67.13734f, 62.680275f, 61.25984f, 64.16545f],
    ];
    private const double Lambda = 0.9999951775621607;
    private const string Main = "TransformerChain/Model.key", Members = "TransformerChain/Members.bin";

    [Fact]
    public void Version3ModelsAndCheckpointsStillLoadAndForecastAsWhenSaved()
    {
        var ml = new MLContext(seed: 1);
        var model = Load(ml, Fixture("lstm-forecasting-v3.zip"));
        var engine = model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml);
        AssertRecorded(engine.Predict(new SeriesPoint { Value = 72.5f, Promo = 1 }));
        var checkpoint = Load(ml, Fixture("lstm-forecasting-checkpoint-v3.zip"));
        AssertRecorded(checkpoint.CreateForecastingEngine<SeriesPoint, SeriesForecast>(ml).Predict());
    }

    [Fact]
    public void ANewlySavedModelHasChecksums_AndAByteChangedInEitherEntryFailsTheLoad()
    {
        byte[] zip = Resaved(Fixture("lstm-forecasting-checkpoint-v3.zip"));
        AssertRecorded(Load(new MLContext(), zip).CreateForecastingEngine<SeriesPoint, SeriesForecast>(new MLContext()).Predict());
        foreach (var name in new[] { Main, Members })
        {
            byte[] bytes = ModelZip.Entry(zip, name);
            int at = name == Main ? ModelZip.MainStream(bytes).End - 40 : bytes.Length / 2;
            bytes[at] ^= 4;
            AssertRefused(ModelZip.Replace(zip, name, bytes), "checksum");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ACorruptHiddenSizeIsRefusedAgainstTheWeightsBeforeANetworkIsBuilt(bool resaved)
    {
        // Before: the network of the stored settings was built first, 4 GB for a hidden size of 16,000.
        byte[] zip = Fixture("lstm-forecasting-v3.zip");
        if (resaved) zip = Resaved(zip);
        byte[] main = ModelZip.Entry(zip, Main);
        int at = ModelZip.FindOnce(main, Encoding.UTF8.GetBytes("HiddenSize")) + "HiddenSize".Length;
        Assert.Equal(8, BitConverter.ToInt32(main, at));
        BitConverter.GetBytes(16_000).CopyTo(main, at);
        if (resaved) Reseal(main);
        AssertRefused(ModelZip.Replace(zip, Main, main), "weights");
    }

    [Fact]
    public void ACorruptEpochCountIsRefusedAgainstTheBytesLeft()
    {
        // Before: an array for 2^20 epochs (8 MB) was allocated before the first epoch was read; the file has 6 KB.
        byte[] zip = Fixture("lstm-forecasting-v3.zip");
        byte[] main = ModelZip.Entry(zip, Main);
        // The first member's history: epoch count 3, then epoch 1 of 3.
        int at = main.AsSpan().IndexOf((byte[])[3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0]);
        BitConverter.GetBytes((1 << 20) - 1).CopyTo(main, at);
        AssertRefused(ModelZip.Replace(zip, Main, main), "epochCount", maxAllocated: 4 << 20);
    }

    [Fact]
    public void ABoxCoxLambdaNoTrainedModelHoldsIsRefused()
    {
        // Before: λ · 2^-40 (one flipped exponent bit) loaded, and the model forecast from it.
        AssertRefused(PatchDouble(Lambda, Math.ScaleB(Lambda, -40)), "boxCoxLambda");
    }

    [Fact]
    public void ABoxCoxLambdaThatContradictsTheSettingsIsRefused()
    {
        // PowerTransform On → Off: with LogTransform Off the model could only hold λ = 1.
        AssertRefused(PatchOption("PowerTransform", (int)AutoSwitch.On, (int)AutoSwitch.Off), "boxCoxLambda");
    }

    [Fact]
    public void ALogTransformChosenByLogTransformAutoLoadsWithPowerTransformOn()
    {
        // LogTransform Auto may choose log (λ = 0) although PowerTransform is On: such a model must load.
        byte[] zip = PatchDouble(Lambda, 0);
        zip = CorruptSizeTests.Patch(zip, "LogTransform", (int)AutoSwitch.Off, (int)AutoSwitch.Auto);
        var model = Load(new MLContext(), zip);
        Assert.True(model.Forecaster.Transform.UseLog);
        Assert.Equal(AutoSwitch.On, model.Options.PowerTransform);
    }

    [Fact]
    public void LevelInputThatContradictsTheSettingsIsRefused()
    {
        var ml = new MLContext();
        bool level = Load(ml, Fixture("lstm-forecasting-v3.zip")).Forecaster.Transform.LevelInput;
        AssertRefused(PatchOption("LevelInput", (int)AutoSwitch.Auto, (int)(level ? AutoSwitch.Off : AutoSwitch.On)), "levelInput");
    }

    [Fact]
    public void AMemberCountThatContradictsTheSettingsIsRefused() =>
        AssertRefused(PatchOption("EnsembleSize", 2, 3), "members");

    [Fact]
    public void SeasonalIndicesThatDoNotAverageOneAreRefused()
    {
        // Before: an index changed by a flipped low mantissa bit loaded and shifted every forecast of its season.
        var season = Load(new MLContext(), Fixture("lstm-forecasting-v3.zip")).Forecaster.Smoothing.Seasons[0];
        Assert.True(season.Multiplicative);
        double index = season.Indices[3], flipped = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(index) ^ (1L << 40));
        AssertRefused(PatchDouble(index, flipped), "seasonalIndices");
    }

    [Fact]
    public void ACheckpointWithAHiddenStateOutsideTheTanhRangeIsRefused()
    {
        // Before: h = 3 loaded and the continued forecasts changed silently.
        byte[] zip = Fixture("lstm-forecasting-checkpoint-v3.zip");
        byte[] blob = ModelZip.Entry(zip, Members);
        int at = 0;
        for (int array = 0; array < 4; array++) at += 4 + 4 * BitConverter.ToInt32(blob, at);   // 2 × (weights, coefficients)
        Assert.Equal(8, BitConverter.ToInt32(blob, at));   // member 0's h: 8 values
        BitConverter.GetBytes(3f).CopyTo(blob, at + 4);
        AssertRefused(ModelZip.Replace(zip, Members, blob), "hidden");
    }

    [Fact]
    public void SettingsWithoutTheSeedAreRefusedWithTheField()
    {
        // Before: options.Seed!.Value threw InvalidOperationException ("Nullable object must have a value").
        var options = ForecastByLstmTests.Options(100);
        options.Seed = null;
        var e = Assert.Throws<InvalidDataException>(() => ForecastFormatChecks.Settings("LstmForecastTransformer", options, true));
        Assert.Contains("'Seed'", e.Message);
    }

    private static void AssertRecorded(SeriesForecast f)
    {
        Close(Recorded[0], f.Forecast);
        Close(Recorded[1], f.Lower);
        Close(Recorded[2], f.Upper);
    }

    /// <summary>Equal up to float rounding (another machine's vector width may sum in another order).</summary>
    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-3);
    }

    /// <summary>Loading fails naming <paramref name="field"/>, allocating less than <paramref name="maxAllocated"/> bytes.</summary>
    private static void AssertRefused(byte[] zip, string field, long maxAllocated = 64 << 20)
    {
        var ml = new MLContext();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<Exception>(() => ml.Model.Load(new MemoryStream(zip), out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        string messages = ModelZip.Messages(e);
        Assert.Contains($"field '{field}'", messages);
        Assert.Contains(Chain(e), x => x is InvalidDataException);
        Assert.True(allocated < maxAllocated, $"{allocated:N0} bytes allocated while refusing the file: {messages}");
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static byte[] PatchDouble(double from, double to)
    {
        byte[] zip = Fixture("lstm-forecasting-v3.zip");
        byte[] main = ModelZip.Entry(zip, Main);
        BitConverter.GetBytes(to).CopyTo(main, ModelZip.FindOnce(main, BitConverter.GetBytes(from)));
        return ModelZip.Replace(zip, Main, main);
    }

    private static byte[] PatchOption(string option, int from, int to) =>
        CorruptSizeTests.Patch(Fixture("lstm-forecasting-v3.zip"), option, from, to);

    private static void Reseal(byte[] main)
    {
        var (start, end) = ModelZip.MainStream(main);
        ModelZip.Reseal(main, start, end);
    }

    private static byte[] Resaved(byte[] zip)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(new MemoryStream(zip), out var schema);
        using var saved = new MemoryStream();
        ml.Model.Save(model, schema, saved);
        return saved.ToArray();
    }

    private static LstmForecastingTransformer Load(MLContext ml, byte[] zip) =>
        (LstmForecastingTransformer)ml.Model.Load(new MemoryStream(zip), out _);

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "MLNet", "testdata", name));
}
