namespace Microsoft.ML.Lstm.Core;

/// <summary>Arithmetic on log-probabilities.</summary>
internal static class LogSpace
{
    /// <summary>log(eᵃ + eᵇ), exact when either is −∞ (probability 0).</summary>
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + double.LogP1(Math.Exp(b - a)) : b + double.LogP1(Math.Exp(a - b));
    }
}
