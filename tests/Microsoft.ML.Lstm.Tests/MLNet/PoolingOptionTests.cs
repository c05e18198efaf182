namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>LstmOptions.Pooling reaches the network, learns, is saved with the model and is checked.</summary>
public class PoolingOptionTests
{
    [Theory]
    [InlineData(LstmPooling.Mean)]
    [InlineData(LstmPooling.Max)]
    [InlineData(LstmPooling.Attention)]
    public void EachPooling_Learns_AndTheLoadedModelScoresTheSame(LstmPooling pooling)
    {
        var ml = new MLContext(seed: 1);
        var train = LstmTestData.Load(ml, 300, 1);
        var test = LstmTestData.Load(ml, 100, 2);
        var options = LstmTestData.Options(nameof(SeqRow.Value), epochs: 15);
        options.Pooling = pooling;
        var model = ml.Regression.Trainers.Lstm(options).Fit(train);
        Assert.Equal(pooling, model.Model.Options.Pooling);
        Assert.Equal(pooling == LstmPooling.Attention, model.Model.Network.Parameters.Slots.Any(s => s.Name == "pool.W"));
        var scored = model.Transform(test);
        // The label is the mean of the first feature over a variable number of steps; the mean of noise is ≈ 0.
        double r2 = ml.Regression.Evaluate(scored, nameof(SeqRow.Value)).RSquared;
        Assert.True(r2 > 0.5, $"{pooling}: R² {r2:F3}");

        using var dir = new TempDirectory();
        ml.Model.Save(model, train.Schema, dir.File("model.zip"));
        var loaded = (LstmTransformer)new MLContext().Model.Load(dir.File("model.zip"), out _);
        Assert.Equal(pooling, loaded.Model.Options.Pooling);
        Assert.Equal(LstmTestData.Floats(scored, "Score"), LstmTestData.Floats(loaded.Transform(test), "Score"));
    }

    [Fact]
    public void AnUnknownPooling_IsRejected_NamingTheOption()
    {
        var options = LstmTestData.Options(nameof(SeqRow.Value));
        options.Pooling = (LstmPooling)7;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Regression.Trainers.Lstm(options));
        Assert.Equal(nameof(LstmOptions.Pooling), e.ParamName);
    }
}
