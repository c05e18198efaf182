using Microsoft.Extensions.Logging;

namespace Microsoft.ML.Lstm.Examples.ForecastService;

/// <summary>
/// A series and its streaming engine. <see cref="Observe"/> advances the engine by one LSTM step (O(1) in the series length),
/// stores the engine state bytes with the observation's number through Orleans grain storage, and only then acknowledges. On
/// activation (first call, after a silo stopped, after a move) the engine is restored from storage, so an acknowledged
/// observation is never lost; a number at or below the stored one was applied already and is acknowledged without applying it.
/// Series grains are alike (one engine each), so they are placed at random: a burst of new series spreads over the silos
/// instead of following Orleans' default resource-optimized placement, whose momentary load readings put a whole burst on one
/// silo in the 2-silo tests on a busy machine.
/// </summary>
[Orleans.Placement.RandomPlacement]
public sealed partial class SeriesGrain(
    [PersistentState("series", ForecastServiceHosting.StorageName)] IPersistentState<SeriesGrainState> storage,
    ForecastModel model,
    ILogger<SeriesGrain> logger) : Grain, ISeriesGrain
{
    private LstmForecastingEngine<SeriesObservation, SeriesForecast>? _engine;

    private LstmForecastingEngine<SeriesObservation, SeriesForecast> Engine => _engine ??= Restore();

    /// <inheritdoc/>
    public async Task<bool> Observe(float value, long sequenceNumber)
    {
        long last = storage.State.SequenceNumber;
        if (sequenceNumber <= last) return false;   // applied and stored already: a retry, acknowledged again
        if (sequenceNumber != last + 1)
            throw new ArgumentException($"Series '{this.GetPrimaryKeyString()}' expects observation {last + 1}; got {sequenceNumber} " +
                $"(observations {last + 1}..{sequenceNumber - 1} are missing: send them first).", nameof(sequenceNumber));
        if (!float.IsFinite(value))
            throw new ArgumentException(
                $"Series '{this.GetPrimaryKeyString()}', observation {sequenceNumber}: value {value} is not finite.", nameof(value));

        var engine = Engine;
        var previous = storage.State;
        engine.Predict(new SeriesObservation { Value = value });
        storage.State = new SeriesGrainState { Engine = ForecastModel.SaveState(engine), SequenceNumber = sequenceNumber };
        try
        {
            await storage.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Not acknowledged. Whether the store has the write is unknown: forget the in-memory state, and let the next activation
            // read what the store holds (a retry of this number is then applied once, or recognised as applied).
            LogWriteFailed(e, this.GetPrimaryKeyString(), sequenceNumber);
            storage.State = previous;
            _engine = null;
            DeactivateOnIdle();
            throw;
        }
        return true;
    }

    /// <inheritdoc/>
    public Task<SeriesForecastResult> Forecast(int horizon)
    {
        if (horizon < 1 || horizon > model.Horizon)
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"The horizon must be between 1 and {model.Horizon}.");
        var f = Engine.Predict(horizon);
        return Task.FromResult(new SeriesForecastResult(storage.State.SequenceNumber, f.Forecast, f.Lower, f.Upper));
    }

    /// <inheritdoc/>
    public Task<long> LastSequenceNumber() => Task.FromResult(storage.State.SequenceNumber);

    private LstmForecastingEngine<SeriesObservation, SeriesForecast> Restore()
    {
        string key = this.GetPrimaryKeyString();
        return storage.State.Engine is { } bytes ? model.RestoreEngine(key, bytes) : model.NewEngine(key);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series {Series}: storing observation {SequenceNumber} failed; not acknowledged")]
    private partial void LogWriteFailed(Exception e, string series, long sequenceNumber);
}
