using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Issue 17: a size field of a saved LSTM corrupted to a large value (the stored hidden size 24 → 16,000) is refused against
/// the bytes actually present before anything of that size is allocated (it used to allocate 3.9 GB first).
/// </summary>
public class CorruptSizeTests
{
    [Fact]
    public void ACorruptHiddenSizeIsRefusedWithoutAllocatingForIt()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.CopyColumns("Label", nameof(SeqRow.Value)).Fit(LstmTestData.Load(ml, 50, 1))
            .Transform(LstmTestData.Load(ml, 50, 1));
        var model = ml.Regression.Trainers.Lstm(LstmTestData.Options("Label", epochs: 1)).Fit(data);
        using var saved = new MemoryStream();
        ml.Model.Save(model, data.Schema, saved);
        byte[] zip = Patch(saved.ToArray(), "HiddenSize", 24, 16_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<Exception>(() => ml.Model.Load(new MemoryStream(zip), out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        string messages = string.Join(" | ", Chain(e).Select(x => x.Message));
        Assert.Contains("weights", messages);
        Assert.True(allocated < 64L << 20, $"{allocated:N0} bytes allocated while refusing the file: {messages}");
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    /// <summary>The zip with the int32 after the option name <paramref name="option"/> changed from one value to another.</summary>
    internal static byte[] Patch(byte[] zip, string option, int from, int to)
    {
        var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var name = Encoding.UTF8.GetBytes(option);
            foreach (var entry in archive.Entries.ToList())
            {
                byte[] bytes;
                using (var s = entry.Open()) { using var copy = new MemoryStream(); s.CopyTo(copy); bytes = copy.ToArray(); }
                int at = bytes.AsSpan().IndexOf(name);
                if (at < 0 || BitConverter.ToInt32(bytes, at + name.Length) != from) continue;
                BitConverter.GetBytes(to).CopyTo(bytes, at + name.Length);
                string entryName = entry.FullName;
                entry.Delete();
                using var replaced = archive.CreateEntry(entryName).Open();
                replaced.Write(bytes);
                return Done(stream, archive);
            }
        }
        throw new InvalidOperationException($"Option {option} = {from} not found in the model.");
    }

    private static byte[] Done(MemoryStream stream, ZipArchive archive)
    {
        archive.Dispose();
        return stream.ToArray();
    }
}
