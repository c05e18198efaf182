namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>One implementation under test, set up for one <see cref="Problem"/>.</summary>
internal interface IBenchEngine : IDisposable
{
    /// <summary>Runs one inference call on the problem's batch and returns the outputs [B] (for the agreement check).</summary>
    float[] InferOutput();

    /// <summary>The timed operation for <paramref name="mode"/>: one training step or one inference call.</summary>
    Action Operation(string mode);
}

/// <summary>Engine names and their construction.</summary>
internal static class Engines
{
    /// <summary>Our LstmNetwork&lt;float&gt;.</summary>
    public const string Ours = "ours";

    /// <summary>TorchSharp-cpu (libtorch).</summary>
    public const string Torch = "torchsharp";

    /// <summary>Microsoft.ML.OnnxRuntime (inference only).</summary>
    public const string Ort = "onnxruntime";

    /// <summary>All engines, in table order.</summary>
    public static readonly string[] All = [Ours, Torch, Ort];

    /// <summary>Whether <paramref name="engine"/> can run <paramref name="mode"/>.</summary>
    public static bool Supports(string engine, string mode) => engine != Ort || mode == Modes.Infer;

    /// <summary>Intra-op threads the engine uses for <paramref name="shape"/>: 2, except ONNX Runtime on shape c (1).</summary>
    public static int Threads(string engine, Shape shape) => engine == Ort && shape.Batch == 1 ? 1 : 2;

    /// <summary>Builds the engine named <paramref name="engine"/> for <paramref name="problem"/>.</summary>
    public static IBenchEngine Create(string engine, Problem problem) => engine switch
    {
        Ours => new OurEngine(problem),
        Torch => new TorchEngine(problem, Threads(engine, problem.Shape)),
        Ort => new OrtEngine(problem, Threads(engine, problem.Shape)),
        _ => throw new ArgumentException($"Unknown engine '{engine}' (known: {string.Join(", ", All)})."),
    };
}
