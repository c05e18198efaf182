namespace Microsoft.ML.Lstm;

/// <summary>A preprocessing step that is on, off, or decided from the training series.</summary>
public enum AutoSwitch
{
    /// <summary>Decided from the training series by the series' diagnostics (trend, seasonality, level changes).</summary>
    Auto,

    /// <summary>Always on.</summary>
    On,

    /// <summary>Always off.</summary>
    Off,
}
