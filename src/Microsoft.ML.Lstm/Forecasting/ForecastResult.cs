namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// A forecast from one origin: the median as point forecast and interval bounds per confidence level, in the units of the series.
/// </summary>
internal sealed class ForecastResult
{
    private readonly double[][] _lower, _upper;

    internal ForecastResult(double[] point, double[] confidenceLevels, double[][] lower, double[][] upper)
    {
        Point = point;
        ConfidenceLevels = confidenceLevels;
        (_lower, _upper) = (lower, upper);
    }

    /// <summary>Steps forecast.</summary>
    public int Horizon => Point.Length;

    /// <summary>Point forecast (the predicted median) for steps 1 … <see cref="Horizon"/> ahead.</summary>
    public double[] Point { get; }

    /// <summary>The confidence levels with bounds.</summary>
    public IReadOnlyList<double> ConfidenceLevels { get; }

    /// <summary>Lower bounds of the central interval with the given nominal coverage.</summary>
    /// <exception cref="ArgumentException">The model was not trained for this level.</exception>
    public double[] Lower(double confidence) => _lower[IndexOf(confidence)];

    /// <summary>Upper bounds of the central interval with the given nominal coverage.</summary>
    /// <exception cref="ArgumentException">The model was not trained for this level.</exception>
    public double[] Upper(double confidence) => _upper[IndexOf(confidence)];

    private int IndexOf(double confidence)
    {
        confidence = Forecasting.ConfidenceLevels.Normalize(confidence);
        for (int i = 0; i < ConfidenceLevels.Count; i++)
            if (Math.Abs(ConfidenceLevels[i] - confidence) < 1e-9) return i;
        throw new ArgumentException($"No interval at confidence {confidence}; the model has {string.Join(", ", ConfidenceLevels)} .",
            nameof(confidence));
    }
}
