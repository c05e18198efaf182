using System.Numerics;

namespace Microsoft.ML.Lstm.Core;

/// <summary>A named 2-D view (rows × cols, row-major; a vector has one row) into a flat parameter array.</summary>
/// <param name="Name">Name such as <c>l0.fwd.W_ih</c> or <c>head.W</c>.</param>
/// <param name="Offset">Start within the flat array.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Cols">Number of columns.</param>
internal sealed record TensorSlot(string Name, int Offset, int Rows, int Cols)
{
    /// <summary>Rows · Cols.</summary>
    public int Length => Rows * Cols;
}

/// <summary>
/// All trainable parameters of a network in one flat array, with named views. Gradients, optimizer
/// state and saved models share this layout, so optimizers, clipping and serialization see one vector.
/// </summary>
/// <typeparam name="T">float for training and inference, double for gradient checks.</typeparam>
internal sealed class ParameterSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<string, TensorSlot> _byName;

    /// <summary>Creates the set with the given slots (contiguous, in order) and zeroed values.</summary>
    public ParameterSet(IReadOnlyList<TensorSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        Slots = slots;
        _byName = new Dictionary<string, TensorSlot>(StringComparer.Ordinal);
        int end = 0;
        foreach (var s in slots)
        {
            if (s.Offset != end) throw new ArgumentException($"Slot '{s.Name}' starts at {s.Offset}, expected {end}.", nameof(slots));
            _byName.Add(s.Name, s);
            end += s.Length;
        }
        Values = new T[end];
    }

    /// <summary>The named views, in storage order.</summary>
    public IReadOnlyList<TensorSlot> Slots { get; }

    /// <summary>The flat values.</summary>
    public T[] Values { get; }

    /// <summary>Total number of scalars.</summary>
    public int Count => Values.Length;

    /// <summary>The slot with this name.</summary>
    public TensorSlot Slot(string name) =>
        _byName.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"No parameter tensor named '{name}'.");

    /// <summary>The values of the named tensor.</summary>
    public Span<T> this[string name] { get { var s = Slot(name); return Values.AsSpan(s.Offset, s.Length); } }

    /// <summary>A new set with the same layout and zeroed values (gradients, optimizer moments).</summary>
    public ParameterSet<T> ZerosLike() => new(Slots);

    /// <summary>A deep copy.</summary>
    public ParameterSet<T> Clone()
    {
        var p = new ParameterSet<T>(Slots);
        Values.CopyTo(p.Values, 0);
        return p;
    }

    /// <summary>Copies values from a set of the same layout.</summary>
    public void CopyFrom(ParameterSet<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count != Count) throw new ArgumentException("Parameter layouts differ.", nameof(other));
        other.Values.CopyTo(Values, 0);
    }

    /// <summary>Sets every value to zero.</summary>
    public void Clear() => Array.Clear(Values);
}
