using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Range and consistency checks of a saved forecaster (LSTMFCST) at load, beyond each value's own bounds: what a trained
/// model always satisfies, so that a corrupted value is refused when the file is loaded instead of forecasting something
/// else (a Box–Cox λ of 1e-12 forecasts +Inf), and the sizes the networks need, checked against the weights present before
/// any network is allocated. Each failure is an <see cref="InvalidDataException"/> naming the component and the field.
/// </summary>
internal static class ForecastFormatChecks
{
    /// <summary>
    /// Smallest positive Box–Cox λ a trained model holds: Guerrero's golden-section search over [0, 1] stops at an interval
    /// of 1e-5 and returns its midpoint, above 3e-6. Below it the power's inverse (1 + λx)^(1/λ) overflows.
    /// </summary>
    public const double MinPowerLambda = 1e-6;

    /// <summary>Fewest bytes one series takes in the main stream: its transform (53) and its state's count and lengths (16).</summary>
    public const int MinSeriesBytes = 53 + 16;

    /// <summary>
    /// Largest |h| an LSTM state can hold: h = o ⊙ tanh(c) with o in (0, 1), plus room for the rounding of the σ and tanh
    /// approximations (relative error below 3e-7, GateActivations).
    /// </summary>
    private const float MaxHidden = 1 + 1e-5f;

    /// <summary>Settings a trained model always records (training resolves them): the seed and, from version 2, the weight.</summary>
    public static void Settings(string component, LstmForecastingOptions o, bool withSmoothing)
    {
        if (o.Seed is null) throw Field(component, "Seed", "missing: a trained model records the seed it was trained with");
        if (withSmoothing && o.ExponentialSmoothingWeight is null)
            throw Field(component, "ExponentialSmoothingWeight", "missing: a trained model records the weight chosen for it");
    }

    /// <summary>Series <paramref name="j"/>'s transform against the settings: its λ and whether it feeds the level.</summary>
    public static void Transform(string component, LstmForecastingOptions o, SeriesTransform t, int j)
    {
        double lambda = t.BoxCoxLambda;
        if (lambda > 0 && lambda < MinPowerLambda)
            throw Field(component, "boxCoxLambda", $"series {j}: λ {lambda} is below {MinPowerLambda}, which no trained model holds");
        // Training takes log when LogTransform is On or (Auto) suggests it, else the power PowerTransform resolves to (1 when Off).
        if ((o.LogTransform == AutoSwitch.On && lambda != 0) || (o.LogTransform == AutoSwitch.Off && lambda == 0)
            || (o.PowerTransform == AutoSwitch.Off && lambda is not (0 or 1)))
            throw Field(component, "boxCoxLambda",
                $"series {j}: λ {lambda} contradicts LogTransform {o.LogTransform} and PowerTransform {o.PowerTransform}");
        if (o.LevelInput != AutoSwitch.Auto && t.LevelInput != (o.LevelInput == AutoSwitch.On))
            throw Field(component, "levelInput", $"series {j}: {t.LevelInput} contradicts LevelInput {o.LevelInput}");
    }

    /// <summary>
    /// Series <paramref name="j"/>'s seasonal adjustments: at the model's seasonal periods, shortest first, each with its indices
    /// normalized as fitting leaves them (mean 1 when they divide, mean 0 when they are subtracted).
    /// </summary>
    public static void Smoothing(string component, LstmForecastingOptions o, SmoothingBaseline b, int j)
    {
        int[] periods = [o.SeasonalPeriod ?? 0, .. o.AdditionalSeasonalPeriods ?? []];
        int previous = 0;
        foreach (var season in b.Seasons)
        {
            if (season.Period <= previous || !periods.Contains(season.Period))
                throw Field(component, "seasonalIndices", $"series {j}: a season of {season.Period} indices; the model's periods are " +
                    $"{string.Join(", ", periods.Where(p => p >= 2))}, each at most once, shortest first");
            previous = season.Period;
            double mean = season.Indices.Average(), target = season.Multiplicative ? 1 : 0;
            double tolerance = 1e-9 * Math.Max(1, season.Indices.Max(Math.Abs));
            if (!(Math.Abs(mean - target) <= tolerance))
                throw Field(component, "seasonalIndices", $"series {j}: the period-{season.Period} indices average {mean}, not {target}");
        }
    }

    /// <summary>
    /// The parameter count of each member's network, from the settings and series 0's transform, checked against the network
    /// limits: the weights read later must have exactly this many values, so a corrupt size fails before any allocation.
    /// </summary>
    public static int ParameterCount(string component, ForecasterSettings settings, SeriesTransform t)
    {
        var spec = ForecastNetwork.SpecFor(settings, t, new QuantileLayout(settings).Count);
        try
        {
            spec.Validate();
            return spec.ParameterCount;
        }
        catch (ArgumentException e) { throw Field(component, "options", $"the network they describe is impossible: {e.Message}", e); }
    }

    /// <summary>A member's weights: exactly <paramref name="expected"/> values (see <see cref="ParameterCount"/>).</summary>
    public static void Weights(string component, float[] weights, int expected, int member)
    {
        if (weights.Length != expected)
            throw Field(component, "weights", $"member {member} has {weights.Length} weights; its settings need {expected}");
    }

    /// <summary>A member's carried h: every value in [−1, 1] (up to rounding), as h = o ⊙ tanh(c) always is.</summary>
    public static void Hidden(string component, float[] hidden, int member)
    {
        for (int i = 0; i < hidden.Length; i++)
            if (!(Math.Abs(hidden[i]) <= MaxHidden))
                throw Field(component, "hidden", $"member {member}: h[{i}] = {hidden[i]} is outside [−1, 1]");
    }

    private static InvalidDataException Field(string component, string field, string problem, Exception? inner = null) =>
        CorruptModel.Field(component, field, problem, inner);
}
