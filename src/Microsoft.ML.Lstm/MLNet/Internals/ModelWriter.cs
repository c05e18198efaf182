namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Saves one component through ML.NET's <see cref="ModelSaveContext"/>: writes the header, the
/// component's fields to its main stream, and large blocks (weights) to entries of their own.
/// Use it from <c>ICanSaveModel.Save</c>; the rest of the library never touches the context.
/// </summary>
/// <example>
/// <code>
/// void ICanSaveModel.Save(ModelSaveContext ctx)
/// {
///     var w = ModelWriter.Begin(ctx, Format);
///     w.WriteInt32("hiddenSize", _hidden);
///     w.WriteBlob("weights.bin", b => b.WriteSingleArray("weights", _weights));
/// }
/// </code>
/// </example>
internal sealed class ModelWriter : ModelStreamWriter
{
    private readonly ModelSaveContext _ctx;

    private ModelWriter(ModelSaveContext ctx, ModelFormat format)
        : base(ctx.Writer, format.LoaderSignature)
    {
        _ctx = ctx;
        Format = format;
    }

    /// <summary>The component's format.</summary>
    public ModelFormat Format { get; }

    /// <summary>
    /// Starts saving a component: checks the context is at the start of the component's bytes and
    /// records <paramref name="format"/> (signatures, versions, loader assembly) in its header.
    /// </summary>
    public static ModelWriter Begin(ModelSaveContext ctx, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(format);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(format.ToVersionInfo());
        return new ModelWriter(ctx, format);
    }

    /// <summary>
    /// Writes an entry <paramref name="entryName"/> (e.g. <c>weights.bin</c>) beside the component's
    /// main stream in the model zip; read it back with <see cref="ModelReader.ReadBlob{T}"/>.
    /// </summary>
    public void WriteBlob(string entryName, Action<ModelStreamWriter> write)
    {
        ModelEntryNames.Check(entryName);
        ArgumentNullException.ThrowIfNull(write);
        if (!_ctx.InRepository)
            throw new InvalidOperationException(
                $"{Component}: blob '{entryName}' can only be saved into a model repository (zip), not a single stream.");
        _ctx.SaveBinaryStream(entryName, writer =>
        {
            var blob = new ModelStreamWriter(writer, $"{Component}/{entryName}");
            write(blob);
            if (Format.HasChecksums(Format.VersionWritten)) blob.WriteChecksum();
        });
    }

    /// <summary>Ends the main stream: its checksum trailer when the format has them (call last in <c>Save</c>).</summary>
    public void End()
    {
        if (Format.HasChecksums(Format.VersionWritten)) WriteChecksum();
    }
}
