using System.Buffers.Binary;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>One small forecaster with a covariate, trained once for <see cref="EngineStateTests"/>.</summary>
public sealed class EngineStateModel
{
    public EngineStateModel()
    {
        Points = ForecastByLstmTests.Series(130, 5);
        Model = Train(ForecastByLstmTests.Options(100, exogenous: true));
    }

    public MLContext ML { get; } = new(seed: 1);

    public List<SeriesPoint> Points { get; }

    public LstmForecastingTransformer Model { get; }

    public List<SeriesPoint> Future => Points.Skip(100).ToList();

    public LstmForecastingTransformer Train(LstmForecastingOptions options) =>
        ML.Forecasting.ForecastByLstm(options).Fit(ML.Data.LoadFromEnumerable(Points));
}

/// <summary>
/// Engine state as bytes (<c>SaveState</c> / <c>CreateForecastingEngine(..., Stream)</c>) and checkpoints to a stream: exact
/// continuation, states of other models refused, corrupt bytes refused without large allocations.
/// </summary>
public class EngineStateTests(EngineStateModel fixture) : IClassFixture<EngineStateModel>
{
    private readonly MLContext _ml = fixture.ML;

    private static byte[] State<TIn, TOut>(LstmForecastingEngine<TIn, TOut> engine) where TIn : class where TOut : class, new()
    {
        var stream = new MemoryStream();
        engine.SaveState(stream);
        return stream.ToArray();
    }

    private static void AssertSame(SeriesForecast expected, SeriesForecast actual)
    {
        Assert.Equal(expected.Forecast, actual.Forecast);
        Assert.Equal(expected.Lower, actual.Lower);
        Assert.Equal(expected.Upper, actual.Upper);
    }

    [Fact]
    public void StateRoundTrip_ContinuesBitIdenticallyWithANeverStoppedEngine()
    {
        var future = fixture.Future;
        var never = fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml);
        var stopped = fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml);
        for (int i = 0; i < 10; i++) AssertSame(never.Predict(future[i]), stopped.Predict(future[i]));
        byte[] state = State(stopped);
        Assert.InRange(state.Length, 100, 16 * 1024);

        // Into the same transformer, and into the model loaded from its file (another instance, same weights).
        var file = new MemoryStream();
        _ml.Model.Save(fixture.Model, null, file);
        file.Position = 0;
        var loaded = (LstmForecastingTransformer)new MLContext().Model.Load(file, out _);
        var same = fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new MemoryStream(state));
        var other = loaded.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new NonSeekableStream(state));
        Assert.Equal(110, same.Count);
        Assert.Equal(110, other.Count);
        AssertSame(stopped.Predict(), same.Predict());
        for (int i = 10; i < future.Count; i++)
        {
            var expected = never.Predict(future[i]);
            AssertSame(expected, same.Predict(future[i]));
            AssertSame(expected, other.Predict(future[i]));
        }
        Assert.Equal(State(never), State(same));   // the bytes themselves are deterministic
    }

    [Fact]
    public void StatesOneAfterAnotherInOneStream_AreReadEachToItsEnd()
    {
        var engine = fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml);
        byte[] first = State(engine);
        engine.Predict(fixture.Future[0]);
        byte[] second = State(engine);
        foreach (bool seekable in new[] { true, false })
        {
            byte[] both = [.. first, .. second];
            Stream stream = seekable ? new MemoryStream(both) : new NonSeekableStream(both);
            Assert.Equal(100, fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, stream).Count);
            Assert.Equal(101, fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, stream).Count);
        }
    }

    [Fact]
    public void StreamCheckpoint_LoadsAndContinuesExactly()
    {
        var future = fixture.Future;
        var engine = fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml);
        foreach (var p in future.Take(7)) engine.Predict(p);
        var zip = new MemoryStream();
        engine.CheckPoint(_ml, zip);
        zip.Position = 0;
        var restored = (LstmForecastingTransformer)new MLContext().Model.Load(zip, out _);
        var resumed = restored.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml);
        Assert.Equal(107, resumed.Count);
        for (int i = 7; i < future.Count; i++) AssertSame(engine.Predict(future[i]), resumed.Predict(future[i]));

        // A state saved from the original model restores into the checkpoint too: the carried state is not the model's identity.
        var fromState = restored.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new MemoryStream(State(engine)));
        Assert.Equal(engine.Count, fromState.Count);
        Assert.Throws<ArgumentException>(() => engine.CheckPoint(_ml, new MemoryStream([], writable: false)));
    }

    [Fact]
    public void StateOfAnotherModel_IsRefusedNamingWhatDiffers()
    {
        var state = State(fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml));

        var o = ForecastByLstmTests.Options(100, exogenous: true);
        o.Seed = 5;   // same shape, other weights
        var reseeded = fixture.Train(o);
        var e1 = Assert.Throws<ArgumentException>(() =>
            reseeded.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new MemoryStream(state)));
        Assert.Contains("another model", e1.Message);
        Assert.Contains("fingerprint", e1.Message);

        o = ForecastByLstmTests.Options(100, exogenous: true);
        o.Horizon = 4;
        o.NumberOfEpochs = 2;
        var shorter = fixture.Train(o);
        var e2 = Assert.ThrowsAny<Exception>(() =>
            shorter.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new MemoryStream(state)));
        Assert.Contains("horizon 6", e2.Message);
        Assert.Contains("horizon 4", e2.Message);

        // A single-series model's state given a series key, and a key given to a single-series model.
        Assert.Throws<ArgumentException>(() =>
            fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, new MemoryStream(state), "a"));
    }

    [Fact]
    public void CorruptState_IsRefusedWithAClearError()
    {
        byte[] good = State(fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml));
        string Refused(byte[] bytes, bool seekable = true)
        {
            Stream s = seekable ? new MemoryStream(bytes) : new NonSeekableStream(bytes);
            var e = Assert.Throws<InvalidDataException>(() => fixture.Model.CreateForecastingEngine<SeriesPoint, SeriesForecast>(_ml, s));
            return e.Message;
        }

        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        Assert.Contains("checksum", Refused(flipped));
        Assert.Contains("truncated", Refused(good[..^1]));
        Assert.Contains("truncated", Refused(good[..^1], seekable: false));
        Assert.Contains("truncated", Refused(good[..10]));
        Assert.Contains("LSTMSTAT", Refused([.. "not a state at all"u8]));
        Assert.Contains("truncated", Refused([]));

        var version = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(version.AsSpan(8), 99);
        Assert.Contains("version 99", Refused(version));

        // A huge claimed length is refused before anything of that size is allocated, seekable or not.
        foreach (bool seekable in new[] { true, false })
        {
            var huge = (byte[])good.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(12), int.MaxValue);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Contains("at most", Refused(huge, seekable));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        }

        // Within the bound but longer than the stream.
        var longer = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(longer.AsSpan(12), BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(12)) + 100);
        Assert.Contains("truncated", Refused(longer));
        Assert.Contains("truncated", Refused(longer, seekable: false));
    }

    /// <summary>A read-only stream without Length or Seek, as a network stream is.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
