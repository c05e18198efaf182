namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// The target times [<paramref name="Start"/>, <paramref name="End"/>) of one series that a network does
/// not train on: the pairs (origin t, horizon h) with t + h in the block are left out of the loss and, for
/// a holdout, scored out of sample. The main holdout is the block at the end of the series,
/// [N − holdout, N); a calibration fold (<see cref="ConformalCalibration.FoldBlocks"/>) holds out an
/// earlier block of the same length and trains on the targets before and after it. Inputs are never
/// masked: the LSTM always runs causally over the whole series, as at inference.
/// </summary>
internal readonly record struct TargetBlock(int Start, int End)
{
    /// <summary>No block: every target of a series of length <paramref name="length"/> trains.</summary>
    public static TargetBlock None(int length) => new(length, length);

    /// <summary>Whether the target at series index <paramref name="time"/> is held out.</summary>
    public bool Contains(int time) => time >= Start && time < End;

    /// <summary>Whether the block holds no target time.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>
    /// Rows [0, n) of <paramref name="data"/> past which no row has a target outside the block (those are the rows training windows cover).
    /// </summary>
    public int TrainableRows(ForecastDataset data) => data.RowsBefore(End >= data.Length ? Start : data.Length);
}
