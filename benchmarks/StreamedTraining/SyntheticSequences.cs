using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Lstm.Benchmarks.Streaming;

/// <summary>
/// A data view of <c>rows</c> sequences of <see cref="Steps"/> × <see cref="FeaturesPerStep"/> values that exist only while a
/// cursor is on them: row r is generated from (seed, r) when a getter first asks for it on that row, so the view holds no
/// rows, every cursor sees the same ones, and a row passed over without being read costs nothing (as a row of a column
/// store or of a binary file with row offsets would). Label: a fair coin; every value is standard normal noise, feature 0
/// of every step shifted by +0.15 for true rows and −0.15 for false ones. The mean of feature 0 over the 100 steps is the
/// sufficient statistic: it separates the classes up to a Bayes accuracy of Φ(0.15 · √100) = Φ(1.5) ≈ 93.3 %.
/// </summary>
internal sealed class SyntheticSequences(long rows, ulong seed) : IDataView
{
    public const int Steps = 100, FeaturesPerStep = 8, Length = Steps * FeaturesPerStep;
    private const double Shift = 0.15;

    public DataViewSchema Schema { get; } = BuildSchema();

    public bool CanShuffle => false;

    public long? GetRowCount() => rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [new Cursor(this)];

    private static DataViewSchema BuildSchema()
    {
        var b = new DataViewSchema.Builder();
        b.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, Length));
        b.AddColumn("Label", BooleanDataViewType.Instance);
        return b.ToSchema();
    }

    /// <summary>Row <paramref name="row"/>: its label and features, written into <paramref name="x"/>.</summary>
    private bool Generate(long row, Span<float> x)
    {
        ulong state = seed * 0x9E3779B97F4A7C15UL + (ulong)row * 0xD1B54A32D192ED03UL;
        bool label = (Next(ref state) & 1) == 1;
        for (int i = 0; i < x.Length; i += 2)   // Box–Muller: two normal values per pair of uniforms (Length is even)
        {
            double r = Math.Sqrt(-2 * Math.Log(1 - Uniform(ref state))), angle = 2 * Math.PI * Uniform(ref state);
            x[i] = (float)(r * Math.Cos(angle));
            x[i + 1] = (float)(r * Math.Sin(angle));
        }
        for (int t = 0; t < Steps; t++) x[t * FeaturesPerStep] += (float)(label ? Shift : -Shift);
        return label;
    }

    private static double Uniform(ref ulong state) => (Next(ref state) >> 11) * (1.0 / (1UL << 53));

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed class Cursor(SyntheticSequences view) : DataViewRowCursor
    {
        private readonly float[] _x = new float[Length];
        private bool _label;
        private long _position = -1, _generated = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= view.GetRowCount()) return false;
            _position++;
            return true;
        }

        /// <summary>Generates the current row unless it already has been.</summary>
        private void Current()
        {
            if (_generated == _position) return;
            _label = view.Generate(_position, _x);
            _generated = _position;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> v) =>
                {
                    Current();
                    var editor = VBufferEditor.Create(ref v, Length);
                    _x.CopyTo(editor.Values);
                    v = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)features;
            }
            ValueGetter<bool> label = (ref bool v) =>
            {
                Current();
                v = _label;
            };
            return (ValueGetter<TValue>)(Delegate)label;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
