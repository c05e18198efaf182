namespace Microsoft.ML.Lstm;

/// <summary>How the conformal calibration of the intervals widens an interval's two ends.</summary>
public enum CalibrationTails
{
    /// <summary>
    /// Each end separately (the asymmetric conformalized quantile regression of Romano, Patterson &amp;
    /// Candès 2019): the lower bound moves so that a share (1 − c)/2 of the calibration targets falls below
    /// it, the upper so that (1 − c)/2 falls above it. When the misses lie mostly on one side (a forecast
    /// that runs high), only that side widens.
    /// </summary>
    Separate,

    /// <summary>
    /// Both ends by one offset, the c-quantile of max(lo − r, r − hi): the total miss rate is 1 − c, however
    /// it splits between the sides.
    /// </summary>
    Joint,
}
