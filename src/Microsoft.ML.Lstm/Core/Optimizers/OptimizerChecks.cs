using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Argument checks shared by the optimizers and <see cref="OptimizerOptions"/>.</summary>
internal static class OptimizerChecks
{
    /// <summary>Requires 0 ≤ value &lt; 1.</summary>
    public static void Fraction(double value, string name)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }

    /// <summary>Requires a finite value &gt; 0.</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0.");
    }

    /// <summary>Requires a finite value ≥ 0.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and ≥ 0.");
    }

    /// <summary>Nesterov momentum is only defined with a positive momentum factor.</summary>
    public static void NesterovNeedsMomentum(bool nesterov, double momentum, string name)
    {
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum requires momentum > 0.", name);
    }

    /// <summary>
    /// Checks the arguments of <see cref="IOptimizer{T}.Step"/>: non-null sets of the same layout, a valid
    /// learning rate, and, once state exists (<paramref name="stateLength"/> ≥ 0), a matching size.
    /// </summary>
    public static void Step<T>(ParameterSet<T> parameters, ParameterSet<T> gradients, double learningRate, int stateLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (!ReferenceEquals(parameters.Slots, gradients.Slots) && !parameters.Slots.SequenceEqual(gradients.Slots))
            throw new ArgumentException(
                $"The gradient layout ({gradients.Slots.Count} tensors, {gradients.Count} values) differs from the parameter layout " +
                $"({parameters.Slots.Count} tensors, {parameters.Count} values).",
                nameof(gradients));
        if (stateLength >= 0 && stateLength != parameters.Count)
            throw new ArgumentException(
                $"The optimizer state was allocated for {stateLength} parameters but {parameters.Count} were given; call Reset() before " +
                "optimizing a different model.",
                nameof(parameters));
        NonNegative(learningRate, nameof(learningRate));
    }
}
