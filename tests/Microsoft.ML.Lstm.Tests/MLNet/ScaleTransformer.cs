using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Lstm.Tests.MLNet;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(ScaleTransformer), null, typeof(SignatureLoadModel),
    "LSTM test scale transformer", ScaleTransformer.LoaderSignature)]

namespace Microsoft.ML.Lstm.Tests.MLNet;

/// <summary>
/// Test-only transformer proving the persistence route: <c>Output[i] = Input[i] * Weights[i] + Offset</c>
/// on a float vector column, weights learned by <see cref="Fit"/> (max-abs scaling). It subclasses
/// ML.NET's <see cref="RowToRowTransformerBase"/> (constructor and members are private protected
/// in ML.NET) and saves through <see cref="ModelWriter"/>: column names and sizes in the main
/// stream, weights in a blob entry. The loader is registered by the assembly attribute above.
/// </summary>
internal sealed class ScaleTransformer : RowToRowTransformerBase
{
    public const string LoaderSignature = "LstmTestScaleTransform";
    public const int MaxSize = 1 << 20;

    public static readonly ModelFormat Format = new(
        modelSignature: "LTSTSCAL",
        loaderSignature: LoaderSignature,
        loaderType: typeof(ScaleTransformer),
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001);

    private readonly float[] _weights;

    public ScaleTransformer(IHostEnvironment env, string outputColumn, string inputColumn, float[] weights, float offset, long rowsSeen)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(ScaleTransformer)))
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumn);
        ArgumentException.ThrowIfNullOrEmpty(inputColumn);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length is 0 or > MaxSize)
            throw new ArgumentException($"Need 1 to {MaxSize} weights.", nameof(weights));
        OutputColumn = outputColumn;
        InputColumn = inputColumn;
        _weights = (float[])weights.Clone();
        Offset = offset;
        RowsSeen = rowsSeen;
    }

    public string OutputColumn { get; }
    public string InputColumn { get; }
    public ReadOnlySpan<float> Weights => _weights;
    public float Offset { get; }
    public long RowsSeen { get; }

    /// <summary>Learns weights 1 / max|x| per slot (1 for an all-zero slot).</summary>
    public static ScaleTransformer Fit(IHostEnvironment env, IDataView data, string outputColumn, string inputColumn, float offset)
    {
        var column = data.Schema[inputColumn];
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } vectorType
            || vectorType.ItemType.RawType != typeof(float))
            throw new ArgumentException($"Column '{inputColumn}' must be a known-size float vector.", nameof(inputColumn));

        var maxAbs = new float[vectorType.Size];
        long rows = 0;
        using (var cursor = data.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                var values = value.GetValues();
                var indices = value.GetIndices();
                for (int k = 0; k < values.Length; k++)
                {
                    int slot = value.IsDense ? k : indices[k];
                    maxAbs[slot] = Math.Max(maxAbs[slot], Math.Abs(values[k]));
                }
                rows++;
            }
        }
        var weights = maxAbs.Select(m => m > 0 ? 1f / m : 1f).ToArray();
        return new ScaleTransformer(env, outputColumn, inputColumn, weights, offset, rows);
    }

    // Loader found by ML.NET through the LoadableClass attribute: static, named Create, returns exactly this type.
    private static ScaleTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var reader = ModelReader.Begin(ctx, Format);
        string output = reader.ReadString("outputColumn", maxBytes: 1024, allowEmpty: false);
        string input = reader.ReadString("inputColumn", maxBytes: 1024, allowEmpty: false);
        int size = reader.ReadInt32("size", 1, MaxSize);
        float offset = reader.ReadSingle("offset");
        long rowsSeen = reader.ReadInt64("rowsSeen", 0);
        var weights = new float[size];
        reader.ReadBlob("weights.bin", blob =>
        {
            blob.ReadSingleArray("weights", weights);
            return true;
        });
        reader.EnsureFullyRead();
        return new ScaleTransformer(env, output, input, weights, offset, rowsSeen);
    }

    // ML.NET declares these private protected; the publicized reference shows them public.
    public override void SaveModel(ModelSaveContext ctx)
    {
        var writer = ModelWriter.Begin(ctx, Format);
        writer.WriteString("outputColumn", OutputColumn);
        writer.WriteString("inputColumn", InputColumn);
        writer.WriteInt32("size", _weights.Length);
        writer.WriteSingle("offset", Offset);
        writer.WriteInt64("rowsSeen", RowsSeen);
        writer.WriteBlob("weights.bin", blob => blob.WriteSingleArray("weights", _weights));
    }

    public override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    private sealed class Mapper : MapperBase
    {
        private readonly ScaleTransformer _owner;
        private readonly int _inputIndex;

        public Mapper(ScaleTransformer parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _owner = parent;
            if (!inputSchema.TryGetColumnIndex(parent.InputColumn, out _inputIndex))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{parent.InputColumn}' not found.");
            var type = inputSchema[_inputIndex].Type as VectorDataViewType;
            if (type is null || type.ItemType != NumberDataViewType.Single || type.Size != parent._weights.Length)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Input column '{parent.InputColumn}' must be a float vector of size {parent._weights.Length}, not " +
                    $"{inputSchema[_inputIndex].Type}.");
        }

        public override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            [new DataViewSchema.DetachedColumn(_owner.OutputColumn,
                new VectorDataViewType(NumberDataViewType.Single, _owner._weights.Length))];

        public override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action disposer)
        {
            disposer = null!;
            var source = input.GetGetter<VBuffer<float>>(input.Schema[_inputIndex]);
            var weights = _owner._weights;
            float offset = _owner.Offset;
            VBuffer<float> buffer = default;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) =>
            {
                source(ref buffer);
                var editor = VBufferEditor.Create(ref dst, weights.Length);
                var values = buffer.GetValues();
                if (buffer.IsDense)
                {
                    for (int i = 0; i < weights.Length; i++)
                        editor.Values[i] = values[i] * weights[i] + offset;
                }
                else
                {
                    editor.Values.Fill(offset);
                    var indices = buffer.GetIndices();
                    for (int k = 0; k < indices.Length; k++)
                        editor.Values[indices[k]] = values[k] * weights[indices[k]] + offset;
                }
                dst = editor.Commit();
            };
            return getter;
        }

        public override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput)
        {
            bool needed = activeOutput(0);
            int inputIndex = _inputIndex;
            return col => needed && col == inputIndex;
        }

        public override void SaveModel(ModelSaveContext ctx) => _owner.SaveModel(ctx);
    }
}
