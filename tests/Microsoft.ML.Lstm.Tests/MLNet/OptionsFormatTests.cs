using System.Text;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>The settings block saved with every model: round trip, older blocks, and corrupt blocks named as such.</summary>
public sealed class OptionsFormatTests
{
    private static byte[] Write(Action<ModelStreamWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            write(new ModelStreamWriter(writer, "Test"));
        return stream.ToArray();
    }

    private static T Read<T>(byte[] bytes) where T : class, new()
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var r = new ModelStreamReader(reader, bytes.Length, "Test");
        var options = OptionsFormat.Read<T>(r, o => (o as LstmForecastingOptions)?.ValidateModel());
        r.EnsureFullyRead();
        return options;
    }

    [Fact]
    public void NullablesArraysAndEnums_RoundTrip()
    {
        var o = new LstmForecastingOptions
        {
            ConfidenceLowerBoundColumn = null, ConfidenceUpperBoundColumn = "Hi", ExogenousColumnNames = ["a", "b"],
            Seed = null, NumberOfThreads = 3, LogTransform = AutoSwitch.Off, ConfidenceLevel = 0.8f, TrainSize = 10
        };
        var back = Read<LstmForecastingOptions>(Write(w => OptionsFormat.Write(w, o)));
        Assert.Null(back.ConfidenceLowerBoundColumn);
        Assert.Equal("Hi", back.ConfidenceUpperBoundColumn);
        Assert.Equal(["a", "b"], back.ExogenousColumnNames);
        Assert.Null(back.Seed);
        Assert.Equal(3, back.NumberOfThreads);
        Assert.Equal(AutoSwitch.Off, back.LogTransform);
        Assert.Equal(0.8f, back.ConfidenceLevel);
        Assert.Equal(10, back.TrainSize);
    }

    [Fact]
    public void ABlockWithoutALaterOption_LoadsThatOptionAtItsDefault()
    {
        var bytes = Write(w =>
        {
            w.WriteInt32("optionCount", 1);
            w.WriteString("optionName", nameof(LstmForecastingOptions.HiddenSize));
            w.WriteInt32(nameof(LstmForecastingOptions.HiddenSize), 7);
        });
        var back = Read<LstmForecastingOptions>(bytes);
        Assert.Equal(7, back.HiddenSize);
        Assert.Equal(new LstmForecastingOptions().EnsembleSize, back.EnsembleSize);
    }

    [Fact]
    public void UnknownRepeatedOrOutOfRangeOptions_AreCorrupt()
    {
        var unknown = Assert.Throws<InvalidDataException>(() => Read<LstmOptions>(Write(w =>
        {
            w.WriteInt32("optionCount", 1);
            w.WriteString("optionName", "NoSuchOption");
        })));
        Assert.Contains("unknown option 'NoSuchOption'", unknown.Message);

        var twice = Assert.Throws<InvalidDataException>(() => Read<LstmOptions>(Write(w =>
        {
            w.WriteInt32("optionCount", 2);
            for (int i = 0; i < 2; i++) { w.WriteString("optionName", nameof(LstmOptions.HiddenSize)); w.WriteInt32("HiddenSize", 4); }
        })));
        Assert.Contains("appears twice", twice.Message);

        var badEnum = Assert.Throws<InvalidDataException>(() => Read<LstmOptions>(Write(w =>
        {
            w.WriteInt32("optionCount", 1);
            w.WriteString("optionName", nameof(LstmOptions.Optimizer));
            w.WriteInt32(nameof(LstmOptions.Optimizer), 99);
        })));
        Assert.Contains("not a LstmOptimizer", badEnum.Message);

        var invalid = Assert.Throws<InvalidDataException>(() => Read<LstmForecastingOptions>(Write(w =>
        {
            w.WriteInt32("optionCount", 1);
            w.WriteString("optionName", nameof(LstmForecastingOptions.HiddenSize));
            w.WriteInt32(nameof(LstmForecastingOptions.HiddenSize), -3);
        })));
        Assert.Contains("HiddenSize", invalid.Message);
        Assert.Contains("Corrupt model", invalid.Message);
    }
}
