using System.Globalization;

namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// One spelling of a confidence level. ML.NET passes levels as <see cref="float"/> (0.95f), which widens to the
/// double 0.949999988…; every level entering the model and every level looked up is first rounded to the
/// shortest decimal that round-trips its float (0.95), so 0.95f and 0.95 name the same interval.
/// </summary>
internal static class ConfidenceLevels
{
    public static double Normalize(double level) =>
        double.IsFinite(level)
            ? double.Parse(((float)level).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : level;
}
