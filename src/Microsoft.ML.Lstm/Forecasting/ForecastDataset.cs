namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// A series turned into network rows by a <see cref="SeriesTransform"/>: row i is the origin t = ℓ + i
/// (the first ℓ observations only feed the first input and baselines). For every row it holds the input,
/// the H targets r_{t,h} (NaN past the end of the series) and the exogenous regressors.
/// </summary>
internal sealed class ForecastDataset
{
    public ForecastDataset(SeriesTransform transform, ReadOnlySpan<double> x, ReadOnlySpan<double> exogenous, int horizon)
    {
        Transform = transform;
        Horizon = horizon;
        Length = x.Length;
        int lag = transform.Lag, F = transform.InputSize, E = transform.ExogenousCount;
        Rows = x.Length - lag;
        Inputs = InputRows(transform, x, exogenous);
        Targets = new float[Rows * horizon];
        Regressors = new float[Rows * horizon * E];
        for (int i = 0; i < Rows; i++)
        {
            int t = lag + i;
            for (int h = 1; h <= horizon; h++)
            {
                int future = t + h, b = t + transform.BaselineOffset(h);
                Targets[i * horizon + h - 1] = future < Length ? (float)transform.Target(x[future], x[b], h) : float.NaN;
                if (future >= Length) continue;
                for (int e = 0; e < E; e++)
                    Regressors[(i * horizon + h - 1) * E + e] = (float)transform.ExogenousRegressor(exogenous[future * E + e],
                        exogenous[b * E + e], e);
            }
        }
    }

    /// <summary>The network inputs of every row [(N − ℓ) × F] alone: what an engine runs over, without targets.</summary>
    public static float[] InputRows(SeriesTransform transform, ReadOnlySpan<double> x, ReadOnlySpan<double> exogenous)
    {
        int lag = transform.Lag, F = transform.InputSize, E = transform.ExogenousCount, rows = x.Length - lag;
        var inputs = new float[rows * F];
        for (int i = 0; i < rows; i++)
        {
            int t = lag + i;
            transform.Features(x[t], x[t - lag], exogenous.Slice(t * E, E), inputs.AsSpan(i * F, F));
        }
        return inputs;
    }

    public SeriesTransform Transform { get; }

    public int Horizon { get; }

    /// <summary>N, the series length.</summary>
    public int Length { get; }

    /// <summary>N − ℓ.</summary>
    public int Rows { get; }

    /// <summary>[Rows × F].</summary>
    public float[] Inputs { get; }

    /// <summary>[Rows × H], NaN where t + h ≥ N.</summary>
    public float[] Targets { get; }

    /// <summary>[Rows × H × E].</summary>
    public float[] Regressors { get; }

    /// <summary>Series index of the target of row i at horizon h (1-based).</summary>
    public int TargetTime(int row, int h) => Transform.Lag + row + h;

    /// <summary>Rows whose first target lies before <paramref name="limit"/>: the rows that can train on data before it.</summary>
    public int RowsBefore(int limit) => Math.Clamp(limit - 1 - Transform.Lag, 0, Rows);
}
