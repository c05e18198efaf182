using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>One benchmark problem size: a many-to-one LSTM regression with one output.</summary>
/// <param name="Name">Short name used on the command line (a–d from the anchors; m for the memory run).</param>
/// <param name="Batch">B, sequences per call.</param>
/// <param name="Steps">T, time steps per sequence.</param>
/// <param name="Input">I, features per step.</param>
/// <param name="Hidden">H, hidden units.</param>
/// <param name="Layers">L, stacked unidirectional layers.</param>
internal sealed record Shape(string Name, int Batch, int Steps, int Input, int Hidden, int Layers)
{
    /// <summary>The shapes of shared/notes/anchors.md, plus "m", the long-sequence memory probe.</summary>
    public static readonly IReadOnlyList<Shape> All =
    [
        new("a", 32, 50, 16, 64, 1),
        new("b", 64, 100, 32, 128, 1),
        new("c", 1, 50, 16, 64, 1),
        new("d", 32, 100, 64, 256, 2),
        new("m", 32, 1000, 16, 128, 1),
    ];

    /// <summary>The shapes that are timed (a–d).</summary>
    public static IEnumerable<Shape> Timed => All.Where(s => s.Name != "m");

    /// <summary>Looks a shape up by name.</summary>
    public static Shape Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"Unknown shape '{name}' (known: {string.Join(", ", All.Select(s => s.Name))}).");

    /// <summary>Input width of layer l.</summary>
    public int LayerInput(int l) => l == 0 ? Input : Hidden;

    /// <summary>
    /// Forward FLOPs of one call: Σ_l T·B·8·H·(I_l + H) (one direction; the head and gate math are ignored).
    /// </summary>
    public double ForwardFlops
    {
        get
        {
            double f = 0;
            for (int l = 0; l < Layers; l++) f += 8.0 * Hidden * (LayerInput(l) + Hidden);
            return f * Steps * Batch;
        }
    }

    /// <summary>FLOPs of one call of <paramref name="mode"/>: training (forward + backward) ≈ 3× forward.</summary>
    public double Flops(string mode) => mode == Modes.Train ? 3 * ForwardFlops : ForwardFlops;

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: B={Batch} T={Steps} I={Input} H={Hidden} L={Layers}";
}

/// <summary>Names of the two timed modes.</summary>
internal static class Modes
{
    /// <summary>One training step: forward, MSE loss, backward, Adam.</summary>
    public const string Train = "train";

    /// <summary>One inference call: forward only.</summary>
    public const string Infer = "infer";

    /// <summary>Checks a mode name.</summary>
    public static string Check(string mode) =>
        mode is Train or Infer ? mode : throw new ArgumentException($"Unknown mode '{mode}' (train or infer).");
}

/// <summary>
/// The data every engine of one shape works on: our network with seeded weights (the peers copy them),
/// a seeded input batch and seeded targets. Time-major [T × B × I] like PyTorch's batch_first=False.
/// </summary>
internal sealed class Problem
{
    /// <summary>Learning rate of every engine's Adam.</summary>
    public const double LearningRate = 1e-4;

    /// <summary>Builds the problem of <paramref name="shape"/>; our network computes on <paramref name="threads"/> threads.</summary>
    public Problem(Shape shape, int threads = 2)
    {
        Shape = shape;
        var spec = new LstmNetworkSpec
        {
            InputSize = shape.Input,
            HiddenSize = shape.Hidden,
            NumberOfLayers = shape.Layers,
            OutputSize = 1,
            Head = HeadKind.ManyToOne,
        };
        Network = new LstmNetwork<float>(spec, new ComputeContext<float>(threads));
        Network.Initialize(42);
        var rng = new Random(7);
        Inputs = new float[shape.Steps * shape.Batch * shape.Input];
        for (int i = 0; i < Inputs.Length; i++) Inputs[i] = (float)(rng.NextDouble() * 2 - 1);
        Targets = new float[shape.Batch];
        for (int i = 0; i < Targets.Length; i++) Targets[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    /// <summary>The shape.</summary>
    public Shape Shape { get; }

    /// <summary>Our network; its parameters are the weights every engine starts from.</summary>
    public LstmNetwork<float> Network { get; }

    /// <summary>[T × B × I] inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>[B] regression targets.</summary>
    public float[] Targets { get; }

    /// <summary>A copy of the named parameter tensor (names as in <see cref="LstmNetworkSpec.ParameterSlots"/>).</summary>
    public float[] Weights(string name) => Network.Parameters[name].ToArray();

    /// <summary>Our inference output [B] for the untrained weights: the reference the peers are checked against.</summary>
    public float[] ReferenceOutput()
    {
        var ws = Network.CreateWorkspace();
        var batch = new SequenceBatch<float>(Shape.Steps, Shape.Batch, Shape.Input, Inputs);
        return Network.Forward(ws, batch, training: false).ToArray();
    }
}
