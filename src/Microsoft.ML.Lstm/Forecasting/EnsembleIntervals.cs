namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>How the ensemble members' predicted quantiles become the forecaster's interval quantiles.</summary>
public enum EnsembleIntervals
{
    /// <summary>
    /// The quantiles of the members' mixture (see <see cref="QuantilePool"/>): wider where the members
    /// disagree, so the spread between networks trained from different seeds widens the intervals. The point
    /// forecast stays the average of the members' medians.
    /// </summary>
    Mixture,

    /// <summary>Each quantile averaged over the members (Vincentization); models saved before format version 4 use this.</summary>
    QuantileAverage,
}
