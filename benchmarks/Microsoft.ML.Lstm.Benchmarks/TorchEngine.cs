using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// TorchSharp-cpu (libtorch): nn.LSTM (time-major) + nn.Linear head on the final hidden state of the top
/// layer, with our initial weights. A training step is zero_grad → forward → mse_loss → backward → Adam;
/// inference is the forward under no_grad. Every call runs in its own dispose scope.
/// </summary>
internal sealed class TorchEngine : IBenchEngine
{
    private readonly Shape _shape;
    private readonly LSTM _lstm;
    private readonly Linear _head;
    private readonly Tensor _x, _target;
    private readonly optim.Optimizer _adam;

    /// <summary>Builds the modules, copies the problem's weights and sets libtorch's thread count.</summary>
    public TorchEngine(Problem problem, int threads)
    {
        torch.set_num_threads(threads);
        _shape = problem.Shape;
        var s = _shape;
        _lstm = nn.LSTM(s.Input, s.Hidden, numLayers: s.Layers);
        _head = nn.Linear(s.Hidden, 1);
        using (torch.no_grad())
        {
            foreach (var (name, p) in _lstm.named_parameters())
                p.copy_(FromOurs(problem, OurName(name), p.shape));
            _head.weight!.copy_(FromOurs(problem, "head.W", _head.weight.shape));
            _head.bias!.copy_(FromOurs(problem, "head.b", _head.bias.shape));
        }
        _x = torch.tensor(problem.Inputs, [s.Steps, s.Batch, s.Input]);
        _target = torch.tensor(problem.Targets, [s.Batch, 1]);
        _adam = optim.Adam(_lstm.parameters().Concat(_head.parameters()), Problem.LearningRate);
    }

    /// <inheritdoc/>
    public float[] InferOutput()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return Forward().data<float>().ToArray();
    }

    /// <inheritdoc/>
    public Action Operation(string mode) => mode == Modes.Train ? TrainStep : Infer;

    private Tensor Forward()
    {
        var (_, hn, _) = _lstm.forward(_x);
        return _head.forward(hn[_shape.Layers - 1]);
    }

    private void TrainStep()
    {
        using var scope = torch.NewDisposeScope();
        _adam.zero_grad();
        var loss = nn.functional.mse_loss(Forward(), _target);
        loss.backward();
        _adam.step();
    }

    private void Infer()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Forward();
    }

    /// <summary>Maps weight_ih_l0 / weight_hh_l0 / bias_ih_l0 / bias_hh_l0 to our l0.fwd.W_ih etc.</summary>
    private static string OurName(string torchName)
    {
        var parts = torchName.Split('_'); // weight, ih, l0
        if (parts.Length != 3) throw new InvalidOperationException($"Unexpected LSTM parameter '{torchName}'.");
        string kind = parts[0] == "weight" ? "W" : "b";
        return $"l{parts[2][1..]}.fwd.{kind}_{parts[1]}";
    }

    private static Tensor FromOurs(Problem problem, string name, long[] shape)
    {
        var w = problem.Weights(name);
        if (w.Length != shape.Aggregate(1L, (a, b) => a * b))
            throw new InvalidOperationException($"{name}: {w.Length} values for shape [{string.Join(", ", shape)}].");
        return torch.tensor(w, shape);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _adam.Dispose();
        _x.Dispose();
        _target.Dispose();
        _head.Dispose();
        _lstm.Dispose();
    }
}
