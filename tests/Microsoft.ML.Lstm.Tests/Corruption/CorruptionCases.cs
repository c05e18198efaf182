using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Lstm.Tests.MLNet;

namespace Microsoft.ML.Lstm.Tests.Corruption;

/// <summary>How a case corrupts the saved bytes.</summary>
internal enum CorruptionKind
{
    Truncation, RawBitFlip, EntryBitFlip, HostileSize, Version, MissingEntry, DuplicateEntry, SwappedEntries,
}

/// <summary>
/// Makes one corrupted copy of a subject's bytes, seeded. Zip cases work on the raw file (truncation, raw flips) or on its
/// entries, decompressed, changed and recompressed (our entries are those of the components: Model.key and the .bin blobs).
/// Hostile sizes go into an option value (found by its stored name), a blob's first array length or the ML.NET header's model
/// size, half of them with the checksum trailer recomputed, as a deliberately crafted file would have. An engine state gets
/// the same kinds on its header, body and checksum.
/// </summary>
internal static class CorruptionCases
{
    private static readonly int[] Hostile = [-1, 16_000, 1 << 24, int.MaxValue, int.MinValue];
    private const int VersionOffset = 0x48, ModelStartOffset = 0x10, ModelSizeOffset = 0x18, ChecksumBytes = 32;

    public static byte[] Make(CorruptionSubject subject, CorruptionKind kind, Random rng, out string detail) =>
        subject.IsZip ? Zip(subject.Bytes, kind, rng, out detail) : State(subject.Bytes, kind, rng, out detail);

    private static byte[] Zip(byte[] zip, CorruptionKind kind, Random rng, out string detail)
    {
        var entries = ModelZip.Entries(zip);
        var ours = entries.Select((e, i) => (e.Name, i)).Where(e => e.Name != "Schema" && !e.Name.StartsWith("TrainingInfo/"))
            .Select(e => e.i).ToArray();
        switch (kind)
        {
            case CorruptionKind.Truncation:
                return Truncate(zip, rng, out detail);
            case CorruptionKind.RawBitFlip:
                return Flip((byte[])zip.Clone(), rng, out detail);
            case CorruptionKind.EntryBitFlip:
                {
                    int i = ours[rng.Next(ours.Length)];
                    entries[i] = (entries[i].Name, Flip((byte[])entries[i].Bytes.Clone(), rng, out detail));
                    detail = $"{entries[i].Name}: {detail}";
                    return Build(entries);
                }
            case CorruptionKind.HostileSize:
                {
                    int i = ours[rng.Next(ours.Length)];
                    var bytes = (byte[])entries[i].Bytes.Clone();
                    detail = $"{entries[i].Name}: {HostileField(bytes, entries[i].Name.EndsWith(".bin"), rng)}";
                    entries[i] = (entries[i].Name, bytes);
                    return Build(entries);
                }
            case CorruptionKind.Version:
                {
                    var keys = ours.Where(i => entries[i].Name.EndsWith("Model.key")).ToArray();
                    int i = keys[rng.Next(keys.Length)];
                    var bytes = (byte[])entries[i].Bytes.Clone();
                    uint current = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(VersionOffset));
                    uint version = OtherVersion(current, rng);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(VersionOffset), version);
                    if (rng.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(VersionOffset + 4), version);
                    detail = $"{entries[i].Name}: version 0x{current:X8} → 0x{version:X8}";
                    entries[i] = (entries[i].Name, bytes);
                    return Build(entries);
                }
            case CorruptionKind.MissingEntry:
                {
                    int i = rng.Next(entries.Count);
                    detail = $"without {entries[i].Name}";
                    entries.RemoveAt(i);
                    return Build(entries);
                }
            case CorruptionKind.DuplicateEntry:
                {
                    int i = rng.Next(entries.Count), j = rng.Next(entries.Count), at = rng.Next(entries.Count + 1);
                    detail = $"{entries[i].Name} again at {at}, holding {entries[j].Name}";
                    entries.Insert(at, (entries[i].Name, entries[j].Bytes));
                    return Build(entries);
                }
            default:
                {
                    int i = rng.Next(entries.Count), j = (i + 1 + rng.Next(entries.Count - 1)) % entries.Count;
                    detail = $"{entries[i].Name} ⇄ {entries[j].Name}";
                    (entries[i], entries[j]) = ((entries[i].Name, entries[j].Bytes), (entries[j].Name, entries[i].Bytes));
                    return Build(entries);
                }
        }
    }

    /// <summary>
    /// Writes a hostile int into <paramref name="bytes"/> (a component's Model.key, or a blob): an option's value, the ML.NET
    /// header's model size, or a blob's first array length; half the time the checksum trailer is recomputed to match.
    /// </summary>
    private static string HostileField(byte[] bytes, bool blob, Random rng)
    {
        int value = Hostile[rng.Next(Hostile.Length)];
        bool reseal = rng.Next(2) == 0;
        int start = 0, end = bytes.Length, at;
        string what;
        if (blob) (at, what) = (0, "first array length");
        else
        {
            start = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(ModelStartOffset));
            end = start + (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(ModelSizeOffset));
            var options = OptionValues(bytes, start, end);
            if (options.Count == 0 || rng.Next(8) == 0)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(ModelSizeOffset), value);
                return $"model size → {value}";
            }
            (at, what) = options[rng.Next(options.Count)];
        }
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
        if (reseal && end - start >= ChecksumBytes)
            SHA256.HashData(bytes.AsSpan(start, end - start - ChecksumBytes)).CopyTo(bytes, end - ChecksumBytes);
        return $"{what} → {value}{(reseal ? ", checksum recomputed" : "")}";
    }

    /// <summary>Positions of the int32 after each stored option name (a length-prefixed identifier) and the name.</summary>
    private static List<(int At, string Name)> OptionValues(byte[] bytes, int start, int end)
    {
        var found = new List<(int, string)>();
        for (int i = start; i + 8 < end; i++)
        {
            int n = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i));
            if (n is < 3 or > 48 || i + 4 + n + 4 > end) continue;
            var name = bytes.AsSpan(i + 4, n);
            if (!char.IsAsciiLetterUpper((char)name[0]) || name.ContainsAnyExcept(Letters)) continue;
            found.Add((i + 4 + n, Encoding.ASCII.GetString(name)));
        }
        return found;
    }

    private static readonly System.Buffers.SearchValues<byte> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."u8);

    private static uint OtherVersion(uint current, Random rng) => rng.Next(4) switch
    {
        0 => current + 1 + (uint)rng.Next(4),                  // a future version
        1 => current > 0x00010001 ? 0x00010001 + (uint)rng.Next((int)(current - 0x00010001)) : current - 1,   // an older one
        2 => 0x00020001,                                       // a future major version
        _ => (uint)rng.Next(),                                 // anything
    };

    private static byte[] State(byte[] state, CorruptionKind kind, Random rng, out string detail)
    {
        var bytes = (byte[])state.Clone();
        switch (kind)
        {
            case CorruptionKind.Truncation:
                return Truncate(bytes, rng, out detail);
            case CorruptionKind.RawBitFlip:
            case CorruptionKind.EntryBitFlip:
                return Flip(bytes, rng, out detail);
            case CorruptionKind.HostileSize:
                {
                    int value = Hostile[rng.Next(Hostile.Length)], at = rng.Next(2) == 0 ? 12 : 16;
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
                    bool reseal = at == 16;
                    if (reseal) SHA256.HashData(bytes.AsSpan(0, bytes.Length - 8)).AsSpan(0, 8).CopyTo(bytes.AsSpan(bytes.Length - 8));
                    detail = $"{(at == 12 ? "body length" : "windowSize, checksum recomputed")} → {value}";
                    return bytes;
                }
            case CorruptionKind.Version:
                {
                    uint version = OtherVersion(1, rng);
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
                    detail = $"version 1 → {version}";
                    return bytes;
                }
            case CorruptionKind.MissingEntry:
                detail = "empty";
                return [];
            case CorruptionKind.DuplicateEntry:
                detail = "the state twice";
                return [.. bytes, .. bytes];
            default:
                {
                    int a = 16 + rng.Next(bytes.Length - 32), b = 16 + rng.Next(bytes.Length - 32);
                    var first = bytes.AsSpan(a, 8).ToArray();
                    bytes.AsSpan(b, 8).CopyTo(bytes.AsSpan(a));
                    first.CopyTo(bytes.AsSpan(b));
                    detail = $"bytes {a}..{a + 7} ⇄ {b}..{b + 7}";
                    return bytes;
                }
        }
    }

    private static byte[] Truncate(byte[] bytes, Random rng, out string detail)
    {
        int length = rng.Next(bytes.Length);
        detail = $"cut at {length} of {bytes.Length}";
        return bytes[..length];
    }

    private static byte[] Flip(byte[] bytes, Random rng, out string detail)
    {
        int at = rng.Next(bytes.Length), bit = rng.Next(8);
        bytes[at] ^= (byte)(1 << bit);
        detail = $"bit {bit} of byte {at} of {bytes.Length}";
        return bytes;
    }

    private static byte[] Build(List<(string Name, byte[] Bytes)> entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = archive.CreateEntry(name).Open();
                s.Write(content);
            }
        return stream.ToArray();
    }
}
