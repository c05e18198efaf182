using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Lstm.Forecasting;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Streaming forecasts: <see cref="Predict(int?, IReadOnlyList{TIn})"/> forecasts from the current state; <see cref="Predict(TIn, int?)"/>
/// first takes in a new observation, advancing the LSTM by one step (O(1), the window is not re-run);
/// <see cref="CheckPoint(MLContext, string)"/> saves the model with the current state, and a model loaded from it continues
/// exactly here; <see cref="SaveState"/> saves the state alone (a few KB) for
/// <see cref="LstmForecastingCatalog.CreateForecastingEngine{TIn, TOut}(LstmForecastingTransformer, MLContext, Stream, string?)"/>
/// to continue from with the same model. For a global model an engine follows one series. Not thread-safe: one engine per caller.
/// </summary>
/// <typeparam name="TIn">Class with the series field and covariate fields, named as the columns.</typeparam>
/// <typeparam name="TOut">Class with float[] fields named as the forecast and bound columns.</typeparam>
public sealed class LstmForecastingEngine<TIn, TOut> where TIn : class where TOut : class, new()
{
    private readonly LstmForecastingTransformer _transformer;
    private readonly ForecastEngine _engine;
    private readonly int _series;
    private readonly Func<TIn, float>[] _inputs;
    private readonly (Action<TOut, float[]> Set, int Which)[] _outputs;
    private readonly double[] _exogenous;
    private readonly Func<TIn, string?>? _seriesKey;

    /// <param name="transformer">The trained forecaster.</param>
    /// <param name="seriesKey">The series of a global model; null for a single-series model.</param>
    /// <param name="history">Rows to run the engine over from their first; null: start at the transformer's carried state.</param>
    internal LstmForecastingEngine(LstmForecastingTransformer transformer, string? seriesKey, IReadOnlyList<TIn>? history = null)
        : this(transformer, transformer.SeriesIndex(seriesKey), state: null, history)
    {
    }

    /// <summary>
    /// An engine for series <paramref name="series"/> at <paramref name="state"/> (null: the transformer's state), or run over
    /// <paramref name="history"/> from its first row when one is given.
    /// </summary>
    internal LstmForecastingEngine(LstmForecastingTransformer transformer, int series, ForecastEngineState? state,
        IReadOnlyList<TIn>? history = null)
    {
        _transformer = transformer;
        _series = series;
        var c = transformer.Columns;
        _inputs = c.Exogenous.Prepend(c.Input).Select(Reader).ToArray();
        _seriesKey = c.SeriesKey is null ? null : TextReader(c.SeriesKey);
        _engine = history is not null ? FromHistory(history)
            : state is null ? transformer.CreateEngine(series) : transformer.Model.RestoreEngine(series, state);
        var outs = new List<(Action<TOut, float[]>, int)> { (Writer(c.Output), 0) };
        if (c.Lower is not null && Member<TOut>(c.Lower, require: false) is not null) outs.Add((Writer(c.Lower), 1));
        if (c.Upper is not null && Member<TOut>(c.Upper, require: false) is not null) outs.Add((Writer(c.Upper), 2));
        _outputs = outs.ToArray();
        _exogenous = _engine.LastExogenous.ToArray();   // held for a Predict() without future rows, as after an observation
    }

    /// <summary>Observations taken in so far (training rows included; for an engine created over a history, its rows).</summary>
    public long Count => _engine.Count;

    /// <summary>Forecast from the current state, without a new observation.</summary>
    /// <param name="horizon">Steps ahead (1 … the trained horizon); null = the trained horizon.</param>
    /// <param name="future">Rows with the covariates of the forecast steps; null holds the last observed ones.</param>
    public TOut Predict(int? horizon = null, IReadOnlyList<TIn>? future = null) => Result(horizon, future);

    /// <summary>Takes in <paramref name="newObservation"/> (one LSTM step), then forecasts.</summary>
    public TOut Predict(TIn newObservation, int? horizon = null) => Predict(newObservation, horizon, null);

    /// <summary>Takes in <paramref name="newObservation"/>, then forecasts with the given future covariates.</summary>
    /// <exception cref="ArgumentException">The observation is not finite, outside the model's domain (e.g. not positive for a
    /// logged model), or of another series than this engine's: the message names the column, says that it was the observation
    /// passed to Predict, and what to do; the engine is left as it was.</exception>
    public TOut Predict(TIn newObservation, int? horizon, IReadOnlyList<TIn>? future)
    {
        ArgumentNullException.ThrowIfNull(newObservation);
        Observe(newObservation);
        return Result(horizon, future);
    }

    /// <summary>Takes in one observation; on any error the engine and its held covariates stay as they were.</summary>
    private void Observe(TIn observation)
    {
        var c = _transformer.Columns;
        string where = $"the observation passed to Predict (after {Count} observations)";
        CheckSeries(observation, where, "newObservation");
        float value = Finite(_inputs[0](observation), 0, where, "newObservation");
        var exogenous = new double[_exogenous.Length];
        for (int e = 0; e < exogenous.Length; e++) exogenous[e] = Finite(_inputs[e + 1](observation), e + 1, where, "newObservation");
        try { _engine.Update(value, exogenous); }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Series column '{c.Input}', {where}: {RowChecks.WithoutParameter(e)}", "newObservation", e);
        }
        exogenous.CopyTo(_exogenous, 0);
    }

    /// <summary>
    /// <paramref name="value"/> of input <paramref name="input"/> (0: the series, then the covariates), refused naming the column
    /// and <paramref name="where"/> when it is not finite.
    /// </summary>
    private float Finite(float value, int input, string where, string parameter)
    {
        if (float.IsFinite(value)) return value;
        var c = _transformer.Columns;
        throw new ArgumentException(input == 0
            ? $"Series column '{c.Input}', {where}: the value is {value}; the engine takes in finite values only. Fill the gap first " +
                "(e.g. carry the last value forward), or call Predict() without an observation to forecast from the current state."
            : $"Covariate column '{c.Exogenous[input - 1]}', {where}: the value is {value}; covariates must be finite (fill the gap " +
                "first).", parameter);
    }

    /// <summary>For a global model: an observation whose text series key names another series is refused.</summary>
    private void CheckSeries(TIn observation, string where, string parameter)
    {
        if (_seriesKey is null) return;
        string? key = _seriesKey(observation);
        string mine = _transformer.SeriesKeys[_series];
        if (!string.IsNullOrEmpty(key) && key != mine)
            throw new ArgumentException(
                $"Series key column '{_transformer.Columns.SeriesKey}', {where}: the observation is of series '{key}', but this engine " +
                $"follows series '{mine}'. Create one engine per series: CreateForecastingEngine(mlContext, \"{key}\").",
                parameter);
    }

    /// <summary>
    /// Saves the model with the engine's current state to <paramref name="modelPath"/> (a normal ML.NET
    /// model zip); for a global model, with this series' state and the other series' states unchanged.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is a directory.</exception>
    public void CheckPoint(MLContext mlContext, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        string target = Path.GetFullPath(modelPath);
        if (Directory.Exists(target))
            throw new ArgumentException($"'{modelPath}' is a directory; name the checkpoint file.", nameof(modelPath));
        var model = _transformer.WithState(_series, _engine.GetState());
        // Written beside the target under a name no one else uses, then moved over it: never a half-written model, never
        // another file overwritten, nothing left behind on failure.
        string temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write)) mlContext.Model.Save(model, null, stream);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private ForecastEngine FromHistory(IReadOnlyList<TIn> history)
    {
        int N = history.Count, E = _inputs.Length - 1;
        if (N == 0)
            throw new ArgumentException("history has no rows; pass the series' recent observations, in time order (or create the engine " +
                "without a history to start where training ended).", nameof(history));
        var values = new double[N];
        var exogenous = new double[N * E];
        for (int t = 0; t < N; t++)
        {
            var row = history[t] ?? throw new ArgumentException($"history[{t}] is null.", nameof(history));
            CheckSeries(row, $"history[{t}]", nameof(history));
            values[t] = Finite(_inputs[0](row), 0, $"history[{t}]", nameof(history));
            for (int e = 0; e < E; e++) exogenous[t * E + e] = Finite(_inputs[e + 1](row), e + 1, $"history[{t}]", nameof(history));
        }
        try { return _transformer.Model.CreateEngine(_series, values, exogenous); }
        catch (ArgumentException e) { throw new ArgumentException(RowChecks.WithoutParameter(e), nameof(history), e); }
    }

    /// <summary>
    /// Saves the model with the engine's current state to <paramref name="stream"/> (a normal ML.NET model zip, as
    /// <c>mlContext.Model.Save</c> writes it); <c>mlContext.Model.Load(stream, out _)</c> gives it back. For a global model, with
    /// this series' state and the other series' states unchanged.
    /// </summary>
    public void CheckPoint(MLContext mlContext, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The checkpoint stream must be writable.", nameof(stream));
        mlContext.Model.Save(_transformer.WithState(_series, _engine.GetState()), null, stream);
    }

    /// <summary>
    /// Writes the engine's current state alone, without the model: a small versioned, checksummed block (a few KB: the
    /// LSTM's h and c, the last head output, the recent values and the baseline's level and trend) that
    /// <see cref="LstmForecastingCatalog.CreateForecastingEngine{TIn, TOut}(LstmForecastingTransformer, MLContext, Stream, string?)"/>
    /// restores into an engine of the same model (the same transformer, or one loaded from its model file or from a checkpoint of
    /// it). For services that keep one state per series, e.g. in a database row or an actor's storage.
    /// </summary>
    /// <param name="stream">A writable stream; the state is written at its position.</param>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The state stream must be writable.", nameof(stream));
        _transformer.WriteEngineState(stream, _series, _engine.GetState());
    }

    private TOut Result(int? horizon, IReadOnlyList<TIn>? future)
    {
        int E = _exogenous.Length, H = horizon ?? _transformer.Forecaster.Horizon;
        var futureExogenous = new double[H * E];
        if (future is null) ForecastCursor.HoldCovariates(_exogenous, futureExogenous);
        else
        {
            if (future.Count < H) throw new ArgumentException($"future has {future.Count} rows; the horizon is {H}.", nameof(future));
            for (int h = 0; h < H; h++)
                for (int e = 0; e < E; e++)
                    futureExogenous[h * E + e] = Finite(_inputs[e + 1](future[h]), e + 1, $"future[{h}] passed to Predict", nameof(future));
        }
        var r = _engine.Forecast(horizon, futureExogenous);
        float level = _transformer.Columns.ConfidenceLevel;
        var result = new TOut();
        foreach (var (set, which) in _outputs)
            set(result, (which == 0 ? r.Point : which == 1 ? r.Lower(level) : r.Upper(level)).Select(v => (float)v).ToArray());
        return result;
    }

    private static Func<TIn, float> Reader(string column)
    {
        var m = Member<TIn>(column, require: true)!;
        return m switch
        {
            FieldInfo f when f.FieldType == typeof(float) => x => (float)f.GetValue(x)!,
            PropertyInfo p when p.PropertyType == typeof(float) => x => (float)p.GetValue(x)!,
            _ => throw new ArgumentException($"{typeof(TIn).Name}.{m.Name} (column '{column}') must be a float field or property."),
        };
    }

    /// <summary>The text series key of an observation, when <typeparamref name="TIn"/> has a string member for it.</summary>
    private static Func<TIn, string?>? TextReader(string column) => Member<TIn>(column, require: false) switch
    {
        FieldInfo f when f.FieldType == typeof(string) => x => (string?)f.GetValue(x),
        PropertyInfo p when p.PropertyType == typeof(string) => x => (string?)p.GetValue(x),
        _ => null,
    };

    private static Action<TOut, float[]> Writer(string column)
    {
        var m = Member<TOut>(column, require: true)!;
        return m switch
        {
            FieldInfo f when f.FieldType == typeof(float[]) => (o, v) => f.SetValue(o, v),
            PropertyInfo p when p.PropertyType == typeof(float[]) && p.CanWrite => (o, v) => p.SetValue(o, v),
            _ =>
                throw new ArgumentException(
                    $"{typeof(TOut).Name}.{m.Name} (column '{column}') must be a writable float[] field or property."),
        };
    }

    private static string? ColumnName(MemberInfo m) =>
        m.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType == typeof(ColumnNameAttribute))?.ConstructorArguments[0].Value as string;

    /// <summary>The public field or property mapped to <paramref name="column"/> (by [ColumnName] or by name).</summary>
    private static MemberInfo? Member<T>(string column, bool require)
    {
        var members = typeof(T).GetMembers(BindingFlags.Public | BindingFlags.Instance).Where(m => m is FieldInfo or PropertyInfo);
        var found = members.FirstOrDefault(m => ColumnName(m) == column)
            ?? members.FirstOrDefault(m => m.Name == column && ColumnName(m) is null);
        if (found is null && require)
            throw new ArgumentException($"{typeof(T).Name} has no public field or property for column '{column}'.");
        return found;
    }
}
