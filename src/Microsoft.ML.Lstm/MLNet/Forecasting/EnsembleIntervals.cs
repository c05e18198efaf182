namespace Microsoft.ML.Lstm;

/// <summary>How the ensemble members' predicted quantiles become the forecaster's interval quantiles.</summary>
public enum EnsembleIntervals
{
    /// <summary>
    /// The quantiles of the members' mixture: wider where the members
    /// disagree, so the spread between networks trained from different seeds widens the intervals. The point
    /// forecast stays the average of the members' medians.
    /// </summary>
    Mixture,

    /// <summary>Each quantile averaged over the members (Vincentization).</summary>
    QuantileAverage,
}
