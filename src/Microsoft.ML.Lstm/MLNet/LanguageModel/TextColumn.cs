using Microsoft.ML.Data;
using Microsoft.ML.Lstm.MLNet.Internals;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The text column of a language model: schema checks and row reading shared by training, scoring and evaluation, so the
/// same bad input fails the same way everywhere, with an <see cref="ArgumentException"/> naming the column (and the row).
/// </summary>
internal static class TextColumn
{
    /// <summary>The column, which must exist and hold text.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.GetColumnOrNull(name) is not { } col)
            throw new ArgumentException($"Text column '{name}' not found in the input schema.", nameof(schema));
        if (col.Type is not TextDataViewType)
            throw new ArgumentException($"Text column '{name}' has type {col.Type}; a language model reads text (String).", nameof(schema));
        return col;
    }

    /// <summary>The same checks on a schema shape (estimator schema propagation).</summary>
    public static void Check(SchemaShape shape, string name)
    {
        if (!SchemaChecks.TryFind(shape, name, out var col))
            throw new ArgumentException($"Text column '{name}' not found in the input schema.", "inputSchema");
        if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.ItemType is not TextDataViewType)
            throw new ArgumentException($"Text column '{name}' has type {col.ItemType} ({col.Kind}); a language model reads text (String).",
                "inputSchema");
    }

    /// <summary>Every row's text, each checked; <paramref name="poll"/> runs every 1024 rows (cancellation).</summary>
    public static List<string> ReadAll(IDataView data, string name, Action? poll = null)
    {
        var col = Find(data.Schema, name);
        var texts = new List<string>();
        using var cursor = data.GetRowCursor([col]);
        var get = cursor.GetGetter<ReadOnlyMemory<char>>(col);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 1023) == 0) poll?.Invoke();
            get(ref value);
            texts.Add(Checked(value, name, cursor.Position));
        }
        if (texts.Count == 0) throw new ArgumentException($"Text column '{name}' has no rows: there is no text to learn from.", "input");
        return texts;
    }

    /// <summary>The text of one row, which must not be empty.</summary>
    public static string Checked(ReadOnlyMemory<char> value, string column, long row) =>
        value.IsEmpty ? throw new ArgumentException($"Text column '{column}', row {row}: the text is empty.", "input") : value.ToString();
}
