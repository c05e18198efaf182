namespace Microsoft.ML.Lstm;

/// <summary>
/// Settings of <see cref="LstmFeaturizerEstimator"/>: every setting of an LSTM trainer (<see cref="LstmOptions"/>: the
/// input column <see cref="LstmOptions.FeatureColumnName"/>, architecture, <see cref="LstmOptions.Pooling"/>, training)
/// plus the output column. With <see cref="LstmOptions.LabelColumnName"/> set (Single, Boolean or key) the encoder is
/// learned the way the matching trainer learns it and its head is then dropped; left null (the default here) it is
/// learned self-supervised.
/// </summary>
public sealed class LstmFeaturizerOptions : LstmOptions
{
    /// <summary>Settings with no label column (self-supervised).</summary>
    public LstmFeaturizerOptions() => LabelColumnName = null;

    /// <summary>The column the encoding is written to: a Single vector of HiddenSize (× 2 when bidirectional) values.</summary>
    public string OutputColumnName { get; set; } = "LstmFeatures";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName))
            throw new ArgumentException("OutputColumnName must be set.", nameof(OutputColumnName));
        if (LabelColumnName is not null && string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("LabelColumnName must name a column, or be null to learn without a label.",
                nameof(LabelColumnName));
        ValidateSettings();
    }
}
