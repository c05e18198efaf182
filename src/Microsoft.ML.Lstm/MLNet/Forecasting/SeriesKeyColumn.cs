using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The column naming the series of each row in a global forecasting model: text, or a key (named by its
/// key value when the column has key values, else by its number). Series are identified by that text.
/// </summary>
internal static class SeriesKeyColumn
{
    /// <summary>Checks that the column exists and is text or a key.</summary>
    public static void Check(DataViewSchema schema, string name)
    {
        var col = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"The series key column '{name}' was not found in the input data.", nameof(schema));
        if (col.Type is not TextDataViewType && (col.Type is not KeyDataViewType key || key.RawType != typeof(uint)))
            throw new ArgumentException($"The series key column '{name}' has type {col.Type}; expected text or a UInt32 key.",
                nameof(schema));
    }

    /// <summary>Returns a function giving the current row's series key; a missing key (empty text, key 0) throws naming the row.</summary>
    public static Func<string> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        Func<string> read;
        if (column.Type is TextDataViewType)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> text = default;
            read = () => { getter(ref text); return text.ToString(); };
        }
        else
        {
            var names = KeyValueAnnotations.Read(column)?.Values;
            var getter = row.GetGetter<uint>(column);
            uint key = 0;
            read = () =>
            {
                getter(ref key);
                if (key == 0) return "";
                return names is not null && key <= names.Length ? names[key - 1] : key.ToString(CultureInfo.InvariantCulture);
            };
        }
        return () =>
        {
            string key = read();
            if (key.Length == 0)
                throw new ArgumentException($"Series key column '{column.Name}', row {row.Position}: the series key is missing " +
                    "(empty text or key 0); every row needs the key of its series (drop or fill such rows first).", "input");
            return key;
        };
    }
}
