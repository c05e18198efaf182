using System.IO.Compression;
using System.Security.Cryptography;

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Reading and rewriting the entries of a saved model zip, for tests that corrupt them: an entry's bytes, a replaced entry,
/// the range of a component's main stream in its <c>Model.key</c> (ML.NET's header: FpModel at 0x10, CbModel at 0x18), and
/// a checksum trailer recomputed over changed bytes (a hostile file that is consistent with its checksums).
/// </summary>
internal static class ModelZip
{
    /// <summary>Bytes of a SHA-256 trailer.</summary>
    public const int ChecksumBytes = 32;

    public static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e => (e.FullName, Read(e)))];
    }

    public static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return Read(archive.GetEntry(name) ?? throw new InvalidOperationException($"No entry {name} in the model."));
    }

    public static byte[] Replace(byte[] zip, string name, byte[] bytes)
    {
        var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(name)?.Delete();
            using var entry = archive.CreateEntry(name).Open();
            entry.Write(bytes);
        }
        return stream.ToArray();
    }

    /// <summary>Start and end of the component's own bytes in a <c>Model.key</c> entry.</summary>
    public static (int Start, int End) MainStream(byte[] modelKey)
    {
        long start = BitConverter.ToInt64(modelKey, 0x10), length = BitConverter.ToInt64(modelKey, 0x18);
        return ((int)start, (int)(start + length));
    }

    /// <summary>Rewrites the SHA-256 trailer (the last 32 bytes of [start, end)) to match the bytes before it.</summary>
    public static void Reseal(byte[] bytes, int start, int end) =>
        SHA256.HashData(bytes.AsSpan(start, end - start - ChecksumBytes)).CopyTo(bytes, end - ChecksumBytes);

    /// <summary>The position of the only occurrence of <paramref name="pattern"/> in <paramref name="bytes"/>.</summary>
    public static int FindOnce(byte[] bytes, ReadOnlySpan<byte> pattern)
    {
        int at = bytes.AsSpan().IndexOf(pattern);
        if (at < 0 || bytes.AsSpan(at + 1).IndexOf(pattern) >= 0)
            throw new InvalidOperationException($"The pattern occurs {(at < 0 ? "nowhere" : "more than once")}.");
        return at;
    }

    /// <summary>Messages of an exception and its inner exceptions, joined.</summary>
    public static string Messages(Exception e)
    {
        var all = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) all.Add(x.Message);
        return string.Join(" | ", all);
    }

    private static byte[] Read(ZipArchiveEntry e)
    {
        using var s = e.Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
