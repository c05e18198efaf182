namespace Microsoft.ML.Lstm.Forecasting;

/// <summary>
/// Everything a trained <see cref="LstmForecaster"/> consists of, as plain values, for persistence by a
/// wrapper. Of <see cref="Options"/>, rebuilding needs <c>Horizon</c>, <c>ConfidenceLevels</c>,
/// <c>HiddenSize</c>, <c>NumberOfLayers</c>, <c>ExogenousCount</c> and <c>NumberOfThreads</c>; the rest documents training.
/// </summary>
/// <param name="Options">The training settings.</param>
/// <param name="Transform">Preprocessing parameters (log, lag, drift, scales).</param>
/// <param name="Smoothing">The exponential smoothing combined with the LSTM (seasonal indices and α, β, φ).</param>
/// <param name="NetworkParameters">Per ensemble member, the LSTM's flat parameter vector (layout of
/// <c>LstmNetworkSpec.ParameterSlots</c>).</param>
/// <param name="ExogenousCoefficients">Per member, β [E].</param>
/// <param name="CalibrationOffsets">Interval offsets (<see cref="IntervalCalibration.Offsets"/>): [confidence levels × H] for both ends,
/// or the lower then the upper ones [2 × confidence levels × H].</param>
/// <param name="WidthsNeverNarrow"><see cref="IntervalCalibration.WidthsNeverNarrow"/>.</param>
internal sealed record LstmForecasterData(ForecasterSettings Options, SeriesTransform Transform, SmoothingBaseline Smoothing,
    float[][] NetworkParameters,
    float[][] ExogenousCoefficients, double[] CalibrationOffsets, bool WidthsNeverNarrow = true);

/// <summary>
/// The carried state of a <see cref="ForecastEngine"/>, as plain values: restoring it continues exactly
/// where the engine stopped.
/// </summary>
/// <param name="Count">Observations seen.</param>
/// <param name="RecentValues">The last ℓ observations in model space (x = g(y), see <see cref="SeriesTransform"/>), oldest first.</param>
/// <param name="RecentExogenous">Their covariates [ℓ × E], row-major.</param>
/// <param name="Hidden">Per member, h after the last observation [layers × hidden].</param>
/// <param name="Cell">Per member, c after the last observation [layers × hidden].</param>
/// <param name="Output">Per member, the head output at the last observation [H·Q] (without the covariate term).</param>
/// <param name="Smoothing">The statistical baseline's state after the last observation (<see cref="BaselineState.ToArray"/>): the
/// smoothing's level and trend, then the autoregression's last adjusted values.</param>
internal sealed record ForecastEngineState(long Count, double[] RecentValues,
    double[] RecentExogenous, float[][] Hidden, float[][] Cell, float[][] Output, double[] Smoothing);
