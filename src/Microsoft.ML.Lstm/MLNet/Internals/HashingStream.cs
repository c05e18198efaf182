using System.Security.Cryptography;

namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// A write-only stream that forwards to another and keeps a SHA-256 of what passed through, for the checksum trailers of
/// saved components (<see cref="ModelStreamWriter.WriteChecksum"/>).
/// </summary>
internal sealed class HashingStream(Stream inner) : Stream
{
    /// <summary>Bytes of a checksum trailer.</summary>
    public const int ChecksumBytes = 32;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Writes the hash of the bytes so far to the inner stream (not hashed itself).</summary>
    public void WriteHash() => inner.Write(_hash.GetCurrentHash());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
