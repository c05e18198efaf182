using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>Reads the key values of a key-typed column and rebuilds them as annotations.</summary>
internal static class KeyValueAnnotations
{
    private const string KeyValuesKind = "KeyValues";
    private const string SlotNamesKind = "SlotNames";

    /// <summary>The column's key values as invariant text, or null when it has none of a supported type.</summary>
    public static KeyValueNames? Read(DataViewSchema.Column column)
    {
        var kv = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (kv is null || kv.Value.Type is not VectorDataViewType vt) return null;
        var item = vt.ItemType.RawType;
        string[]? values = item switch
        {
            _ when item == typeof(ReadOnlyMemory<char>) => Get<ReadOnlyMemory<char>>(column, m => m.ToString()),
            _ when item == typeof(float) => Get<float>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            _ when item == typeof(double) => Get<double>(column, v => v.ToString("R", CultureInfo.InvariantCulture)),
            _ when item == typeof(int) => Get<int>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == typeof(uint) => Get<uint>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == typeof(long) => Get<long>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == typeof(ulong) => Get<ulong>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when item == typeof(bool) => Get<bool>(column, v => v ? "true" : "false"),
            _ => null,
        };
        return values is null ? null : new KeyValueNames(item.Name == "ReadOnlyMemory`1" ? "Text" : item.Name, values);
    }

    private static string[] Get<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> buf = default;
        column.Annotations.GetValue(KeyValuesKind, ref buf);
        return buf.DenseValues().Select(format).ToArray();
    }

    /// <summary>KeyValues annotation (for PredictedLabel) of the original item type.</summary>
    public static DataViewSchema.Annotations KeyValues(KeyValueNames names)
    {
        var b = new DataViewSchema.Annotations.Builder();
        int n = names.Values.Length;
        switch (names.ItemType)
        {
            case "Text": Add(b, KeyValuesKind, n, TextDataViewType.Instance, Getter(names, s => s.AsMemory())); break;
            case "Single": Add(b, KeyValuesKind, n, NumberDataViewType.Single, Getter(names, Parse<float>)); break;
            case "Double": Add(b, KeyValuesKind, n, NumberDataViewType.Double, Getter(names, Parse<double>)); break;
            case "Int32": Add(b, KeyValuesKind, n, NumberDataViewType.Int32, Getter(names, Parse<int>)); break;
            case "UInt32": Add(b, KeyValuesKind, n, NumberDataViewType.UInt32, Getter(names, Parse<uint>)); break;
            case "Int64": Add(b, KeyValuesKind, n, NumberDataViewType.Int64, Getter(names, Parse<long>)); break;
            case "UInt64": Add(b, KeyValuesKind, n, NumberDataViewType.UInt64, Getter(names, Parse<ulong>)); break;
            case "Boolean": Add(b, KeyValuesKind, n, BooleanDataViewType.Instance, Getter(names, s => s == "true")); break;
            default: throw new InvalidDataException($"Unsupported key value type '{names.ItemType}' in the model.");
        }
        return b.ToAnnotations();
    }

    private static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>SlotNames annotation (for the multiclass Score vector): the key values as text.</summary>
    public static DataViewSchema.Annotations SlotNames(KeyValueNames names)
    {
        var b = new DataViewSchema.Annotations.Builder();
        Add(b, SlotNamesKind, names.Values.Length, TextDataViewType.Instance, Getter(names, s => s.AsMemory()));
        return b.ToAnnotations();
    }

    private static void Add<T>(DataViewSchema.Annotations.Builder b, string kind,
        int n, PrimitiveDataViewType itemType, ValueGetter<VBuffer<T>> getter) =>
        b.Add(kind, new VectorDataViewType(itemType, n), getter);

    private static ValueGetter<VBuffer<T>> Getter<T>(KeyValueNames names, Func<string, T> parse)
    {
        var values = names.Values.Select(parse).ToArray();
        return (ref VBuffer<T> dst) => new VBuffer<T>(values.Length, values).CopyTo(ref dst); // CopyTo copies: values stay private
    }
}
