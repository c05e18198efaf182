using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// Weights that one optimizer trains, with the gradient buffer a task writes them into. The training loop
/// clips each group's gradients to the global norm on its own, steps its optimizer, averages and
/// snapshots its weights.
/// </summary>
/// <param name="Parameters">The weights, updated in place.</param>
/// <param name="Gradients">Gradients of the last batch, shaped like <paramref name="Parameters"/>.</param>
/// <param name="Optimizer">Optimizer of this group (its state belongs to the group).</param>
internal sealed record ParameterGroup(ParameterSet<float> Parameters, ParameterSet<float> Gradients, IOptimizer<float> Optimizer);
