using System.Globalization;

namespace Microsoft.ML.Lstm.Benchmarks.Forecasting;

/// <summary><c>--set Name=Value</c>: sets a <see cref="LstmForecastingOptions"/> property by name, for comparing settings.</summary>
internal static class Overrides
{
    public static void Apply(LstmForecastingOptions options, IEnumerable<(string Name, string Value)> overrides)
    {
        foreach (var (name, value) in overrides)
        {
            var p = typeof(LstmForecastingOptions).GetProperty(name) ?? throw new ArgumentException($"No option {name}.");
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            p.SetValue(options, value == "null" ? null
                : type == typeof(int[]) ? Integers(value)
                : type.IsEnum ? Enum.Parse(type, value) : Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>"48,336" as [48, 336].</summary>
    private static int[] Integers(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
}
