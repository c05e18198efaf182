using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Benchmarks;

/// <summary>
/// Writes an ONNX model (opset 17) equivalent to our many-to-one network, from its weights: one ONNX LSTM
/// op per layer (gate blocks permuted from PyTorch's i, f, g, o to ONNX's i, o, f, c; bias [Wb, Rb];
/// sequence_lens input), Squeeze between layers, then the Gemm head on the top layer's Y_h.
/// Graph inputs: X float [T, B, I] and sequence_lens int32 [B]; output Y float [B, 1].
/// </summary>
internal static class OnnxLstmModel
{
    /// <summary>ONNX's gate order (i, o, f, c) as indices of our (PyTorch's) gate blocks (i, f, g, o).</summary>
    private static readonly int[] OnnxFromTorch = [LstmLayout.InputGate, LstmLayout.OutputGate, LstmLayout.ForgetGate, LstmLayout.CellGate];

    // ONNX TensorProto.DataType and AttributeProto.AttributeType values.
    private const int Float = 1, Int32 = 6, Int64 = 7, AttrInt = 2;

    /// <summary>Input and output names.</summary>
    public const string Input = "X", Lengths = "sequence_lens", Output = "Y";

    /// <summary>The serialized ModelProto.</summary>
    public static byte[] Build(Problem problem)
    {
        var s = problem.Shape;
        int H = s.Hidden;
        var graph = new ProtobufWriter();
        string x = Input;
        for (int l = 0; l < s.Layers; l++)
        {
            string p = LstmNetworkSpec.Prefix(l, 0);
            int inSize = s.LayerInput(l);
            Initializer(graph, $"W{l}", [1, 4 * H, inSize], Permute(problem.Weights(p + ".W_ih"), H, inSize));
            Initializer(graph, $"R{l}", [1, 4 * H, H], Permute(problem.Weights(p + ".W_hh"), H, H));
            var bias = Permute(problem.Weights(p + ".b_ih"), H, 1).Concat(Permute(problem.Weights(p + ".b_hh"), H, 1)).ToArray();
            Initializer(graph, $"B{l}", [1, 8 * H], bias);
            bool top = l == s.Layers - 1;
            string y = top ? "" : $"Y{l}", yh = top ? "Yh" : "";
            Node(graph, "LSTM", [x, $"W{l}", $"R{l}", $"B{l}", Lengths], [y, yh],
                n => n.Message(5, a => a.String(1, "hidden_size").Int(3, H).Int(20, AttrInt)));
            if (!top)
            {
                // Y is [T, 1, B, H] (num_directions axis); the next layer wants [T, B, H].
                Int64Initializer(graph, $"axes{l}", [1]);
                Node(graph, "Squeeze", [y, $"axes{l}"], [$"X{l + 1}"]);
                x = $"X{l + 1}";
            }
        }
        Int64Initializer(graph, "axes_h", [0]);
        Node(graph, "Squeeze", ["Yh", "axes_h"], ["features"]);            // [1, B, H] → [B, H]
        Initializer(graph, "head_W", [1, H], problem.Weights("head.W"));
        Initializer(graph, "head_b", [1], problem.Weights("head.b"));
        Node(graph, "Gemm", ["features", "head_W", "head_b"], [Output],
            n => n.Message(5, a => a.String(1, "transB").Int(3, 1).Int(20, AttrInt)));
        graph.String(2, "lstm_many_to_one");
        ValueInfo(graph, 11, Input, Float, [s.Steps, s.Batch, s.Input]);
        ValueInfo(graph, 11, Lengths, Int32, [s.Batch]);
        ValueInfo(graph, 12, Output, Float, [s.Batch, 1]);

        return new ProtobufWriter()
            .Int(1, 8)                                      // ir_version
            .String(2, "Microsoft.ML.Lstm.Benchmarks")      // producer_name
            .Bytes(7, graph.ToArray())                      // graph
            .Message(8, o => o.String(1, "").Int(2, 17))    // opset_import: default domain, opset 17
            .ToArray();
    }

    /// <summary>Reorders the four gate blocks (each H rows of <paramref name="cols"/>) from i, f, g, o to i, o, f, c.</summary>
    public static float[] Permute(float[] w, int hidden, int cols)
    {
        var r = new float[w.Length];
        int block = hidden * cols;
        for (int k = 0; k < 4; k++) Array.Copy(w, OnnxFromTorch[k] * block, r, k * block, block);
        return r;
    }

    private static void Node(ProtobufWriter graph, string op, string[] inputs, string[] outputs,
        Action<ProtobufWriter>? attributes = null) =>
        graph.Message(1, n =>
        {
            foreach (var i in inputs) n.String(1, i);
            foreach (var o in outputs) n.String(2, o);
            n.String(3, $"{op}_{outputs.FirstOrDefault(o => o.Length > 0)}");
            n.String(4, op);
            attributes?.Invoke(n);
        });

    private static void Initializer(ProtobufWriter graph, string name, long[] dims, float[] values) =>
        graph.Message(5, t => t.PackedInts(1, dims).Int(2, Float).PackedFloats(4, values).String(8, name));

    private static void Int64Initializer(ProtobufWriter graph, string name, long[] values) =>
        graph.Message(5, t => t.PackedInts(1, [values.Length]).Int(2, Int64).PackedInts(7, values).String(8, name));

    private static void ValueInfo(ProtobufWriter graph, int field, string name, int elemType, long[] dims) =>
        graph.Message(field, v => v.String(1, name).Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int(1, elemType);
            tensor.Message(2, shape => { foreach (long d in dims) shape.Message(1, dim => dim.Int(1, d)); });
        })));
}
