namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17 item 7: one PredictionEngine shared by several threads (misuse, as ML.NET documents) fails loudly when two threads
/// score at once. (ML.NET copies the input into the engine's row before the LSTM is reached, so a race there cannot be seen
/// from here.)
/// </summary>
public class EngineSharingTests
{
    [Fact]
    public void AnEngineUsedFromTwoThreadsAtOnceThrows()
    {
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value))
            .Append(ml.Regression.Trainers.Lstm(LstmTestData.Options("Label", epochs: 1))).Fit(LstmTestData.Load(ml, 50, 1));
        // Rows long enough (100,000+ steps, tens of milliseconds each) that threads started together are inside one at once.
        var rows = Enumerable.Range(0, 4).Select(i =>
        {
            var rng = new Random(i);
            return new SeqRow { Features = [.. Enumerable.Range(0, 2 * (100_000 + 1_000 * i)).Select(_ => (float)rng.NextDouble())] };
        }).ToArray();
        var shared = ml.Model.CreatePredictionEngine<SeqRow, ValuePrediction>(model);
        int refused = 0;
        using var start = new Barrier(rows.Length);
        var threads = rows.Select(row => new Thread(() =>
        {
            start.SignalAndWait();
            for (int k = 0; k < 3; k++)
            {
                try { shared.Predict(row); }
                catch (InvalidOperationException e) when (e.Message.Contains("two threads")) { Interlocked.Increment(ref refused); }
                catch (Exception) { }   // ML.NET's own row buffers may fail first: loudly, which is what counts
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.True(refused > 0, "concurrent use went unnoticed");
    }
}
