using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Reads a key-typed vector column of any raw key type (Byte, UInt16, UInt32, UInt64) as token ids:
/// the key value itself, so 0 (missing / unknown) stays 0 and maps to the embedding's reserved row.
/// </summary>
internal static class KeyVectorReader
{
    /// <summary>A function that fills a buffer with the current row's ids and returns how many there are.</summary>
    public delegate int Reader(ref int[] ids);

    public static Reader Create(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = ((VectorDataViewType)column.Type).ItemType.RawType;
        if (raw == typeof(byte)) return Create<byte>(row, column, v => v);
        if (raw == typeof(ushort)) return Create<ushort>(row, column, v => v);
        if (raw == typeof(uint)) return Create<uint>(row, column, v => v);
        if (raw == typeof(ulong)) return Create<ulong>(row, column, v => v);
        throw new ArgumentException($"Column '{column.Name}' has key type {raw.Name}, which is not a key raw type.", nameof(column));
    }

    private static Reader Create<TRaw>(DataViewRow row, DataViewSchema.Column column, Func<TRaw, ulong> toULong)
    {
        var get = row.GetGetter<VBuffer<TRaw>>(column);
        VBuffer<TRaw> buf = default;
        return (ref int[] ids) =>
        {
            get(ref buf);
            if (ids.Length < buf.Length) ids = new int[buf.Length];
            int i = 0;
            foreach (var v in buf.DenseValues())
            {
                ulong k = toULong(v);
                ids[i++] = k > int.MaxValue ? int.MaxValue : (int)k;
            }
            return buf.Length;
        };
    }
}
