using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Forecasting;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.Forecasting;

/// <summary>
/// Issue 17 item 5 for the forecaster: an engine started on a long history runs each network chunk by chunk and keeps only
/// the network inputs (no training targets), so its memory does not grow with the history beyond the history itself, and it
/// starts in the state one pass over the whole history gives.
/// </summary>
public class LongHistoryEngineTests(ITestOutputHelper output)
{
    private static LstmForecaster Train()
    {
        var o = ForecastTestData.FastOptions();
        o.Model.NumberOfEpochs = 2;
        return LstmForecaster.Train(ForecastTestData.Seasonal(120, 3), o);
    }

    private static double[] History(int n)
    {
        var rng = new Rng(7);
        return [.. Enumerable.Range(0, n).Select(t => 50 + 10 * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian())];
    }

    [Fact]
    public void AnEngineOnAHistoryLongerThanAChunkStartsInTheStateOfOnePass()
    {
        var model = Train();
        var y = History(3_000);
        var state = model.CreateEngine(y).GetState();
        var x = y.Select(model.Transform.ToModel).ToArray();
        var inputs = ForecastDataset.InputRows(model.Transform, x, []);
        int width = model.Horizon * model.Layout.Count, rows = y.Length - model.Transform.Lag;
        for (int k = 0; k < model.Members.Length; k++)
        {
            var net = model.Members[k].Net;
            var ws = net.CreateWorkspace();
            var onePass = net.Forward(ws, new SequenceBatch<float>(rows, 1, model.Transform.InputSize, inputs))[^width..].ToArray();
            for (int i = 0; i < width; i++) Assert.Equal(onePass[i], state.Output[k][i], 4);
            for (int i = 0; i < ws.FinalHidden.Length; i++) Assert.Equal(ws.FinalHidden[i], state.Hidden[k][i], 4);
        }
    }

    [Fact]
    public void AnEngineOnA200000ValueHistoryAllocatesLittleBeyondTheHistory()
    {
        var model = Train();
        model.CreateEngine(History(2_000));
        var y = History(200_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var engine = model.CreateEngine(y);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long history = y.Length * 8L;
        output.WriteLine($"200,000 values ({history:N0} bytes): {allocated:N0} bytes allocated, {model.Members.Length} member(s)");
        Assert.True(double.IsFinite(engine.Forecast().Point[0]));
        // The model-space copy (8 bytes a value) and the network inputs (4 bytes per input) are what it needs; one pass over the
        // whole history held every step's activations and the training targets as well (about 34 bytes a value more here).
        Assert.True(allocated < 3 * history, $"{allocated:N0} bytes allocated for a history of {history:N0}");
    }

    [Fact]
    public void StreamingAnObservationAllocatesNothing()
    {
        // Seasonal adjustments were enumerated through an interface: 40 bytes per value, in the engine's every step too.
        var model = Train();
        Assert.NotEmpty(model.Smoothing.Seasons);
        var y = History(500);
        var engine = model.CreateEngine(y[..200]);
        for (int t = 200; t < 300; t++) engine.Update(y[t]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 300; t < 500; t++) engine.Update(y[t]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"200 observations: {allocated:N0} bytes allocated");
        Assert.Equal(0, allocated);
    }
}
