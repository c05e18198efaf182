using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>Builds optimizers from <see cref="OptimizerOptions"/>.</summary>
internal static class Optimizers
{
    /// <summary>Validates <paramref name="options"/> and creates the optimizer it describes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="options">The hyperparameters.</param>
    /// <returns>A new optimizer with empty state.</returns>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="OptimizerOptions.Validate"/>).</exception>
    public static IOptimizer<T> Create<T>(OptimizerOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Kind switch
        {
            OptimizerKind.Adam => new Adam<T>(options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay),
            OptimizerKind.Sgd => new Sgd<T>(options.Momentum, options.Nesterov, options.WeightDecay),
            OptimizerKind.RmsProp => new RmsProp<T>(options.RmsAlpha, options.Epsilon, options.Momentum, options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown optimizer kind."),
        };
    }
}
