namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>How training went.</summary>
/// <param name="HoldoutLength">Steps held out at the end of the series
/// (summed over series for a global model; 0 without a holdout).</param>
/// <param name="Epochs">Epochs of each member's final fit.</param>
/// <param name="HoldoutLoss">Each member's mean holdout pinball loss at its best epoch (NaN without a holdout).</param>
/// <param name="History">Each member's epochs in its fit with the holdout (with early stopping, the fit that chose its epoch
/// count; with <see cref="LstmForecastingOptions.Refit"/> the final weights come from a second fit of that many epochs).</param>
/// <param name="Seconds">Wall time of training.</param>
internal sealed record ForecastTrainingReport(int HoldoutLength, int[] Epochs, double[] HoldoutLoss,
    IReadOnlyList<EpochProgress>[] History, double Seconds);
