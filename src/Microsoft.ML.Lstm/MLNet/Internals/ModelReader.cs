namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Loads one component through ML.NET's <see cref="ModelLoadContext"/>: checks the header against
/// the expected <see cref="ModelFormat"/>, then reads and validates fields (see
/// <see cref="ModelStreamReader"/>) and blob entries. Use it from the component's loader
/// (<c>static X Create(IHostEnvironment env, ModelLoadContext ctx)</c>).
/// </summary>
/// <example>
/// <code>
/// private static MyTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
/// {
///     var r = ModelReader.Begin(ctx, Format);
///     int hidden = r.ReadInt32("hiddenSize", 1, 1 &lt;&lt; 16);
///     var weights = r.ReadBlob("weights.bin", b => b.ReadSingleArray("weights", 4 * hidden * hidden));
///     r.EnsureFullyRead();
///     return new MyTransformer(env, hidden, weights);
/// }
/// </code>
/// </example>
internal sealed class ModelReader : ModelStreamReader
{
    private readonly ModelLoadContext _ctx;

    private ModelReader(ModelLoadContext ctx, ModelFormat format, long end)
        : base(ctx.Reader, end, format.LoaderSignature, format.HasChecksums(ctx.Header.ModelVerWritten))
    {
        _ctx = ctx;
        Format = format;
    }

    /// <summary>The expected format.</summary>
    public ModelFormat Format { get; }

    /// <summary>
    /// Format version the model was written with (between <see cref="ModelFormat.VersionWeCanReadBack"/> and
    /// <see cref="ModelFormat.VersionWritten"/>).
    /// </summary>
    public uint VersionWritten => _ctx.Header.ModelVerWritten;

    /// <summary>
    /// Starts loading a component: checks the context is at the component's bytes and that its
    /// header has <paramref name="format"/>'s model signature and a version this code reads (ML.NET
    /// throws its own <see cref="FormatException"/> otherwise).
    /// </summary>
    public static ModelReader Begin(ModelLoadContext ctx, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(format);
        ctx.CheckAtModel(format.ToVersionInfo());
        long end = ctx.FpMin + ctx.Header.FpModel + ctx.Header.CbModel;
        return new ModelReader(ctx, format, end);
    }

    /// <summary>
    /// Reads blob entry <paramref name="entryName"/> written by <see cref="ModelWriter.WriteBlob"/>;
    /// throws if it is missing or if <paramref name="read"/> leaves bytes unread.
    /// </summary>
    public T ReadBlob<T>(string entryName, Func<ModelStreamReader, T> read)
    {
        ModelEntryNames.Check(entryName);
        ArgumentNullException.ThrowIfNull(read);
        if (!_ctx.InRepository)
            throw Corrupt(entryName, "blob entries need a model repository (zip), but the component is read from a single stream.");

        T result = default!;
        bool found = _ctx.TryLoadBinaryStream(entryName, reader =>
        {
            var blob = new ModelStreamReader(reader, reader.BaseStream.Length, $"{Component}/{entryName}",
                Format.HasChecksums(VersionWritten));
            result = read(blob);
            blob.EnsureFullyRead();
        });
        if (!found)
            throw Corrupt(entryName, "the entry is missing from the model.");
        return result;
    }
}
