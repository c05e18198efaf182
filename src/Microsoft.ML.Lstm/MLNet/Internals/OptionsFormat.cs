using System.Reflection;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// The settings block of a saved model: every public settable property of an options object (<see cref="LstmOptions"/>,
/// <see cref="LstmForecastingOptions"/>), as name/value pairs in declaration order, so that a loaded model reports what it
/// was trained with and an option added later is saved without a second list to keep in step. Callbacks are not saved.
/// Reading refuses an unknown name, a repeated name or a value of the wrong form, and range-checks the whole object with
/// the caller's validation; a failure names the field as corrupt. Options absent from an older file keep their defaults.
/// </summary>
internal static class OptionsFormat
{
    private const int MaxName = 128, MaxText = 4096, MaxItems = 4096;

    public static void Write<T>(ModelStreamWriter w, T options) where T : class
    {
        var properties = Saved<T>();
        w.WriteInt32("optionCount", properties.Length);
        foreach (var p in properties)
        {
            w.WriteString("optionName", p.Name);
            WriteValue(w, p.Name, p.PropertyType, p.GetValue(options));
        }
    }

    public static T Read<T>(ModelStreamReader r, Action<T> validate) where T : class, new()
    {
        var properties = Saved<T>().ToDictionary(p => p.Name);
        int count = r.ReadInt32("optionCount", 0, properties.Count);
        var options = new T();
        var seen = new HashSet<string>();
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString("optionName", MaxName, allowEmpty: false);
            if (!properties.TryGetValue(name, out var p))
                throw CorruptModel.Field(r.Component, "optionName", $"unknown option '{name}' for {typeof(T).Name}");
            if (!seen.Add(name)) throw CorruptModel.Field(r.Component, "optionName", $"option '{name}' appears twice");
            p.SetValue(options, ReadValue(r, name, p.PropertyType));
        }
        try { validate(options); }
        catch (ArgumentException e) { throw CorruptModel.Field(r.Component, "options", e.Message, e); }
        return options;
    }

    /// <summary>Public settable properties that are not callbacks, in declaration order.</summary>
    private static PropertyInfo[] Saved<T>() =>
        [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && !typeof(Delegate).IsAssignableFrom(p.PropertyType))
            .OrderBy(p => p.MetadataToken)];

    private static void WriteValue(ModelStreamWriter w, string name, Type type, object? value)
    {
        var inner = Nullable.GetUnderlyingType(type);
        if (inner is not null || !type.IsValueType)
        {
            w.WriteBoolean(name + ".present", value is not null);
            if (value is null) return;
            type = inner ?? type;
        }
        switch (value)
        {
            case string s: w.WriteString(name, s); break;
            case string[] a:
                w.WriteInt32(name + ".count", a.Length);
                foreach (var s in a) w.WriteString(name, s);
                break;
            case int[] a:
                w.WriteInt32(name + ".count", a.Length);
                foreach (int i in a) w.WriteInt32(name, i);
                break;
            case Enum e: w.WriteInt32(name, Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture)); break;
            case int i: w.WriteInt32(name, i); break;
            case double d: w.WriteDouble(name, d); break;
            case float f: w.WriteSingle(name, f); break;
            case bool b: w.WriteBoolean(name, b); break;
            default: throw new NotSupportedException($"Option {name} has type {type.Name}, which the settings block cannot store.");
        }
    }

    private static object? ReadValue(ModelStreamReader r, string name, Type type)
    {
        var inner = Nullable.GetUnderlyingType(type);
        if (inner is not null || !type.IsValueType)
        {
            if (!r.ReadBoolean(name + ".present")) return null;
            type = inner ?? type;
        }
        if (type == typeof(string)) return r.ReadString(name, MaxText);
        if (type == typeof(string[]))
        {
            var a = new string[r.ReadInt32(name + ".count", 0, MaxItems)];
            for (int i = 0; i < a.Length; i++) a[i] = r.ReadString(name, MaxText, allowEmpty: false);
            return a;
        }
        if (type == typeof(int[]))
        {
            var a = new int[r.ReadInt32(name + ".count", 0, MaxItems)];
            for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32(name);
            return a;
        }
        if (type.IsEnum)
        {
            int v = r.ReadInt32(name);
            return Enum.IsDefined(type, v)
                ? Enum.ToObject(type, v)
                : throw CorruptModel.Field(r.Component, name, $"{v} is not a {type.Name}");
        }
        if (type == typeof(int)) return r.ReadInt32(name);
        if (type == typeof(double)) return r.ReadDouble(name);
        if (type == typeof(float)) return r.ReadSingle(name);
        if (type == typeof(bool)) return r.ReadBoolean(name);
        throw new NotSupportedException($"Option {name} has type {type.Name}, which the settings block cannot read.");
    }
}
