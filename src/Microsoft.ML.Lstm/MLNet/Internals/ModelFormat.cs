namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Identity and versions of one saved component: what ML.NET writes in the component's header and
/// checks before calling its loader.
/// </summary>
/// <remarks>
/// Versions follow ML.NET's convention: <see cref="VersionWritten"/> is the format this code
/// writes; <see cref="VersionReadable"/> the oldest format version whose reader can read it;
/// <see cref="VersionWeCanReadBack"/> the oldest written version this code still reads. The loader
/// assembly is recorded by simple name, so a model loads with any later build of that assembly.
/// </remarks>
internal sealed class ModelFormat
{
    /// <summary>Exact length of <see cref="ModelSignature"/>.</summary>
    public const int ModelSignatureLength = 8;

    /// <summary>Longest <see cref="LoaderSignature"/> the model header holds.</summary>
    public const int MaxLoaderSignatureLength = 24;

    /// <summary>Describes a component format.</summary>
    /// <param name="modelSignature">Exactly 8 printable ASCII characters, e.g. <c>LSTMTRNS</c>.</param>
    /// <param name="loaderSignature">At most 24 printable ASCII characters; unique across every
    /// loadable class in the process, compared case-insensitively. Name of the
    /// <c>LoadableClass</c> registration that loads the component.</param>
    /// <param name="loaderType">A type from the assembly holding the loader; its simple name is saved.</param>
    /// <param name="versionWritten">Format version this code writes.</param>
    /// <param name="versionReadable">Oldest version of reading code that can read what this code writes.</param>
    /// <param name="versionWeCanReadBack">Oldest written version this code can still read.</param>
    /// <param name="checksumsSince">First version whose main stream and blobs end in a SHA-256 of their bytes; null: none.</param>
    public ModelFormat(string modelSignature, string loaderSignature, Type loaderType,
        uint versionWritten, uint versionReadable, uint versionWeCanReadBack, uint? checksumsSince = null)
    {
        ArgumentNullException.ThrowIfNull(modelSignature);
        ArgumentNullException.ThrowIfNull(loaderSignature);
        ArgumentNullException.ThrowIfNull(loaderType);
        if (modelSignature.Length != ModelSignatureLength || !IsPrintableAscii(modelSignature))
            throw new ArgumentException(
                $"Model signature '{modelSignature}' must be exactly {ModelSignatureLength} printable ASCII characters.",
                nameof(modelSignature));
        if (loaderSignature.Length is 0 or > MaxLoaderSignatureLength || !IsPrintableAscii(loaderSignature)
            || loaderSignature.Trim() != loaderSignature)
            throw new ArgumentException(
                $"Loader signature '{loaderSignature}' must be 1 to {MaxLoaderSignatureLength} printable ASCII characters without " +
                "surrounding spaces.",
                nameof(loaderSignature));
        if (versionReadable > versionWritten)
            throw new ArgumentOutOfRangeException(nameof(versionReadable), versionReadable,
                $"Must not exceed versionWritten (0x{versionWritten:X8}).");
        if (versionWeCanReadBack > versionWritten)
            throw new ArgumentOutOfRangeException(nameof(versionWeCanReadBack), versionWeCanReadBack,
                $"Must not exceed versionWritten (0x{versionWritten:X8}).");

        ModelSignature = modelSignature;
        LoaderSignature = loaderSignature;
        LoaderAssemblyName = loaderType.Assembly.GetName().Name
            ?? throw new ArgumentException("The loader type's assembly has no name.", nameof(loaderType));
        VersionWritten = versionWritten;
        VersionReadable = versionReadable;
        VersionWeCanReadBack = versionWeCanReadBack;
        ChecksumsSince = checksumsSince;
    }

    /// <summary>First version written with checksum trailers (see <see cref="ModelStreamWriter.WriteChecksum"/>), or null.</summary>
    public uint? ChecksumsSince { get; }

    /// <summary>Whether a component written at <paramref name="version"/> ends its streams in checksums.</summary>
    public bool HasChecksums(uint version) => ChecksumsSince is { } since && version >= since;

    /// <summary>8-character signature identifying the component's file format.</summary>
    public string ModelSignature { get; }

    /// <summary>Name under which the loader is registered (the <c>LoadableClass</c> load name).</summary>
    public string LoaderSignature { get; }

    /// <summary>Simple name of the assembly holding the loader, e.g. <c>Microsoft.ML.Lstm</c>.</summary>
    public string LoaderAssemblyName { get; }

    /// <summary>Format version this code writes.</summary>
    public uint VersionWritten { get; }

    /// <summary>Oldest version of reading code that can read what this code writes.</summary>
    public uint VersionReadable { get; }

    /// <summary>Oldest written version this code can still read.</summary>
    public uint VersionWeCanReadBack { get; }

    /// <summary>The ML.NET header description of this format.</summary>
    internal VersionInfo ToVersionInfo() => new(
        modelSignature: ModelSignature,
        verWrittenCur: VersionWritten,
        verReadableCur: VersionReadable,
        verWeCanReadBack: VersionWeCanReadBack,
        loaderAssemblyName: LoaderAssemblyName,
        loaderSignature: LoaderSignature);

    private static bool IsPrintableAscii(string s)
    {
        foreach (char c in s)
        {
            if (c is < ' ' or > '~')
                return false;
        }
        return true;
    }
}
