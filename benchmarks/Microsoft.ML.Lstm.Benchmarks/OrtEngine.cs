using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// ONNX Runtime (CPU execution provider), inference only, on the model <see cref="OnnxLstmModel"/> writes
/// from our weights. Inputs and the output are bound once to pinned OrtValues; a call is one Run.
/// </summary>
internal sealed class OrtEngine : IBenchEngine
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _x, _lengths, _y;
    private readonly float[] _output;
    private readonly string[] _inputNames = [OnnxLstmModel.Input, OnnxLstmModel.Lengths], _outputNames = [OnnxLstmModel.Output];
    private readonly OrtValue[] _inputs, _outputs;

    /// <summary>Builds the model and a session with <paramref name="threads"/> intra-op threads.</summary>
    public OrtEngine(Problem problem, int threads)
    {
        var s = problem.Shape;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxLstmModel.Build(problem), options);
        _x = OrtValue.CreateTensorValueFromMemory(problem.Inputs, [s.Steps, s.Batch, s.Input]);
        _lengths = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(s.Steps, s.Batch).ToArray(), [s.Batch]);
        _output = new float[s.Batch];
        _y = OrtValue.CreateTensorValueFromMemory(_output, [s.Batch, 1]);
        _inputs = [_x, _lengths];
        _outputs = [_y];
    }

    /// <inheritdoc/>
    public float[] InferOutput()
    {
        Infer();
        return (float[])_output.Clone();
    }

    /// <inheritdoc/>
    public Action Operation(string mode) =>
        mode == Modes.Infer ? Infer : throw new NotSupportedException("ONNX Runtime is benchmarked for inference only.");

    private void Infer() => _session.Run(_run, _inputNames, _inputs, _outputNames, _outputs);

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
        _x.Dispose();
        _lengths.Dispose();
        _y.Dispose();
    }
}
