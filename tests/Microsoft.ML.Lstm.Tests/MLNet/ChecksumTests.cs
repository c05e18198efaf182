using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17 item 4: our entries carry a SHA-256 each, so a bit flipped anywhere in them after saving fails the load instead
/// of changing the scores (ML.NET itself loads zips whose CRC does not match).
/// </summary>
public class ChecksumTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryBitFlipInTheModelsEntriesFailsTheLoadOrChangesNothing()
    {
        var ml = new MLContext(seed: 1);
        var o = LstmTestData.Options(nameof(SeqRow.Value), epochs: 1);
        o.HiddenSize = 3;
        var model = ml.Regression.Trainers.Lstm(o).Fit(LstmTestData.Load(ml, 20, 1));
        var test = LstmTestData.Load(ml, 5, 2);
        using var saved = new MemoryStream();
        ml.Model.Save(model, null, saved);
        byte[] zip = saved.ToArray();
        var expected = model.Transform(test).GetColumn<float>("Score").ToArray();

        int failed = 0, unchanged = 0, silent = 0;
        foreach (var entry in ModelZip.Entries(zip).Where(e => e.Name.Contains("Model.key") || e.Name.EndsWith(".bin")))
            for (int at = 0; at < entry.Bytes.Length; at++)
            {
                var bytes = (byte[])entry.Bytes.Clone();
                bytes[at] ^= (byte)(1 << (at % 8));
                float[] scores;
                try
                {
                    var loaded = ml.Model.Load(new MemoryStream(ModelZip.Replace(zip, entry.Name, bytes)), out _);
                    scores = loaded.Transform(test).GetColumn<float>("Score").ToArray();
                }
                catch (Exception) { failed++; continue; }
                if (scores.SequenceEqual(expected)) unchanged++;
                else silent++;
            }
        output.WriteLine($"bit flips: {failed} refused, {unchanged} harmless, {silent} changed the scores silently");
        Assert.Equal(0, silent);
        Assert.True(failed > 0);
    }
}
