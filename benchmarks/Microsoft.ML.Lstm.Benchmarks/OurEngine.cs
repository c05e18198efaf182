using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// Our engine: <see cref="LstmNetwork{T}"/> of floats on 2 threads. A training step is what
/// TrainingLoop does per batch, without clipping: Forward(training) → MSE on the many-to-one output →
/// Backward (no dL/dx, as for TorchSharp's input without requires_grad) → Adam step. Inference is Forward(training: false).
/// </summary>
internal sealed class OurEngine : IBenchEngine
{
    private readonly Problem _problem;
    private readonly LstmNetwork<float> _net;
    private readonly LstmWorkspace<float> _ws;
    private readonly SequenceBatch<float> _batch;
    private readonly ILoss<float> _loss = Losses.Create<float>(LossKind.MeanSquaredError);
    private readonly IOptimizer<float> _adam = new Adam<float>();
    private readonly ParameterSet<float> _grads;
    private readonly LossTargets<float> _targets;
    private readonly float[] _dy;

    /// <summary>Sets the engine up on the problem's own network (training changes its weights).</summary>
    public OurEngine(Problem problem)
    {
        _problem = problem;
        var s = problem.Shape;
        _net = problem.Network;
        _ws = _net.CreateWorkspace();
        _ws.ComputeInputGradient = false; // as TorchSharp: the input tensor does not require a gradient
        _batch = new SequenceBatch<float>(s.Steps, s.Batch, s.Input, problem.Inputs);
        _grads = _net.Parameters.ZerosLike();
        _targets = new LossTargets<float>(problem.Targets);
        _dy = new float[s.Batch];
    }

    /// <inheritdoc/>
    public float[] InferOutput() => _net.Forward(_ws, _batch, training: false).ToArray();

    /// <inheritdoc/>
    public Action Operation(string mode) => mode == Modes.Train ? () => TrainStep() : Infer;

    /// <summary>Forward + MSE + backward + Adam; returns the loss.</summary>
    public float TrainStep()
    {
        var y = _net.Forward(_ws, _batch, training: true);
        float loss = _loss.Compute(y, _problem.Shape.Batch, 1, _targets, default, _dy);
        _net.Backward(_ws, _dy, _grads);
        _adam.Step(_net.Parameters, _grads, Problem.LearningRate);
        return loss;
    }

    private void Infer() => _net.Forward(_ws, _batch, training: false);

    /// <inheritdoc/>
    public void Dispose() { }
}
