using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Training;

namespace Microsoft.ML.Lstm;

/// <summary>
/// The training rows of an <see cref="IDataView"/> read through a fresh cursor for every pass instead of held in memory
/// (<see cref="LstmOptions.ShufflePoolSize"/>). A first pass (<see cref="Scan"/>) checks every row as the in-memory path
/// does, counts the rows and gathers what training needs up front: the regression label scale and both binary classes.
/// Each row is held out for validation with probability <see cref="LstmOptions.ValidationFraction"/>, decided by the seed
/// and its position, so no list of rows is kept; each epoch's training rows are shuffled through a pool of
/// <see cref="LstmOptions.ShufflePoolSize"/> sequences. Every pass must see the same rows: a pass that reads a different
/// number of rows than the first fails.
/// </summary>
internal sealed class StreamedTrainingData : ISequenceStream
{
    private readonly IDataView _data;
    private readonly LstmOptions _options;
    private readonly LstmTask _task;
    private readonly FeatureInput _input;
    private readonly WordFeatures? _words;
    private readonly ulong _splitSeed;
    private readonly double _fraction;
    private readonly int _poolSize;
    private readonly Action? _checkAlive;

    private StreamedTrainingData(IDataView data, LstmOptions options, LstmTask task, FeatureInput input, WordFeatures? words,
        ulong seed, Action? checkAlive)
    {
        (_data, _options, _task, _input, _words, _checkAlive) = (data, options, task, input, words, checkAlive);
        _poolSize = options.ShufflePoolSize ?? throw new ArgumentException("ShufflePoolSize must be set to stream.", nameof(options));
        _splitSeed = Rng.Derive(seed, 2);
        _fraction = options.ValidationFraction;
        FeaturesPerStep = input.ValuesPerStep(options);
    }

    public int FeaturesPerStep { get; }

    /// <summary>Rows in the data.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows held out for validation.</summary>
    public long ValidationRows { get; private set; }

    public bool HasValidation => ValidationRows > 0;

    /// <summary>The scale regression labels are standardized by as they are read; null for the other tasks.</summary>
    public TargetScale? Scale { get; private set; }

    /// <summary>
    /// Reads every row once: checks it against <paramref name="spec"/> and <paramref name="loss"/> (a bad row fails naming its
    /// column and row), counts rows and held-out rows, and gathers the label scale (regression) or the classes seen (binary).
    /// </summary>
    /// <exception cref="ArgumentException">No rows; a binary label with one class; a validation split that leaves no row
    /// on one side.</exception>
    public static StreamedTrainingData Scan(IDataView data, LstmOptions options, LstmTask task, FeatureInput input,
        WordFeatures? words, LstmNetworkSpec spec, LossKind loss, ulong seed, Action? checkAlive)
    {
        var stream = new StreamedTrainingData(data, options, task, input, words, seed, checkAlive);
        int F = stream.FeaturesPerStep;
        SequenceDataset.CheckFeaturesPerStep(F, spec);
        var scale = task == LstmTask.Regression ? new TargetScale.Accumulator() : null;
        long positives = 0;
        int firstClass = -1;
        bool classesVary = false;
        foreach (var (row, s) in TrainingDataReader.Rows(data, options, task, input, words, checkAlive))
        {
            SequenceDataset.CheckSample(spec, loss, F, s, (s.Tokens?.Length ?? s.Features!.Length) / F, row);
            stream.Rows++;
            if (stream.Held(row)) stream.ValidationRows++;
            scale?.Add(s.Target);
            if (task == LstmTask.BinaryClassification && s.Target![0] == 1) positives++;
            if (task == LstmTask.MulticlassClassification)
            {
                if (firstClass < 0) firstClass = s.Classes![0];
                classesVary |= s.Classes![0] != firstClass;
            }
        }
        if (stream.Rows == 0) throw TrainingDataReader.NoRows(options);
        if (task == LstmTask.BinaryClassification && (positives == 0 || positives == stream.Rows))
            throw LabelVariety.OneClass(options.LabelColumnName!, positives > 0, stream.Rows);
        if (task == LstmTask.MulticlassClassification && !classesVary)
            throw LabelVariety.OneKey(options.LabelColumnName!, firstClass, stream.Rows, tagging: false);
        if (stream._fraction > 0 && (stream.ValidationRows == 0 || stream.ValidationRows == stream.Rows))
            throw new ArgumentException(
                $"A validation fraction of {options.ValidationFraction} held out {stream.ValidationRows} of {stream.Rows} rows; need " +
                "at least 1 and fewer than all.", nameof(options.ValidationFraction));
        stream.Scale = scale?.Result;
        return stream;
    }

    /// <summary>This epoch's training rows, shuffled through the pool by <paramref name="rng"/>.</summary>
    public IEnumerable<SequenceSample> Training(Rng rng) => ShufflePool.Shuffle(Pass(heldOut: false), _poolSize, rng);

    public IEnumerable<SequenceSample> Validation() => Pass(heldOut: true);

    /// <summary>Whether <paramref name="row"/> is held out: with probability ValidationFraction, fixed by the seed.</summary>
    private bool Held(long row) => _fraction > 0 && Rng.Hash01(_splitSeed, 0, (ulong)row) < _fraction;

    /// <summary>The training or the held-out rows, in row order, their regression labels standardized; the others are not read.</summary>
    private IEnumerable<SequenceSample> Pass(bool heldOut)
    {
        long rows = 0;
        bool Keep(long row)
        {
            rows++;
            return Held(row) == heldOut;
        }
        foreach (var (_, s) in TrainingDataReader.Rows(_data, _options, _task, _input, _words, _checkAlive, Keep))
        {
            Scale?.Standardize(s);
            yield return s;
        }
        if (rows != Rows)
            throw new InvalidOperationException(
                $"The training data gave {Rows} rows in the first pass and {rows} in a later one: streamed training " +
                "(ShufflePoolSize) reads the data once per epoch and needs an IDataView that gives the same rows every time.");
    }
}
