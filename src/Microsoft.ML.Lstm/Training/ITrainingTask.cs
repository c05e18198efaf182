using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Training;

/// <summary>
/// What <see cref="TrainingLoop.Run"/> asks of a model: the hooks where the sequence trainers and the
/// forecaster differ. The loop owns the rest: epochs, shuffling, batching, cancellation, the non-finite
/// loss check, clipping, optimizer steps, weight averaging, validation bookkeeping, early stopping,
/// best-weight restore and progress.
/// </summary>
/// <typeparam name="TItem">What a batch is made of: a sample index, a training window.</typeparam>
internal interface ITrainingTask<TItem>
{
    /// <summary>The weights trained, each group with its gradients and optimizer.</summary>
    IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Whether <see cref="Validate"/> scores held-out data (then the loop keeps the best weights).</summary>
    bool HasValidation { get; }

    /// <summary>Name of the validation metric in progress reports.</summary>
    string MetricName { get; }

    /// <summary>
    /// The items of one epoch, before the loop shuffles them with <paramref name="rng"/>. An array returned
    /// again in the next epoch is shuffled again in place; a task may also draw from <paramref name="rng"/>
    /// to plan new items.
    /// </summary>
    TItem[] PlanEpoch(Rng rng);

    /// <summary>
    /// The batches of one epoch, in training order: by default the items of <see cref="PlanEpoch"/> shuffled with
    /// <paramref name="rng"/> and cut into slices of <paramref name="batchSize"/> (the last one may be shorter). A task that
    /// reads its data while it trains yields batches as it reads them. A batch is valid until the next one is asked for.
    /// </summary>
    IEnumerable<ArraySegment<TItem>> Batches(Rng rng, int batchSize) => TrainingLoop.ShuffledBatches(PlanEpoch(rng), rng, batchSize);

    /// <summary>
    /// Builds the batch of <paramref name="items"/>, runs the forward pass in training mode with dropout
    /// masks from <paramref name="dropoutSeed"/> and computes the loss and its gradient with respect to
    /// the outputs. Returns the mean loss, or null when the batch has no target to learn from (the loop
    /// then skips it).
    /// </summary>
    double? Forward(ReadOnlySpan<TItem> items, ulong dropoutSeed);

    /// <summary>Writes the gradients of the last <see cref="Forward"/> into every group's <see cref="ParameterGroup.Gradients"/>.</summary>
    void Backward();

    /// <summary>Loss and metric of the current weights on the held-out data (called only when <see cref="HasValidation"/>).</summary>
    (double Loss, double? Metric) Validate();
}
