using System.Security.Cryptography;

namespace Microsoft.ML.Lstm.WebApi;

/// <summary>
/// One model file, loaded and watched. <see cref="Current"/> is the model requests use; when the file changes (rewritten in
/// place, or a new file moved over it), the new file is read and loaded completely on a background thread, and only then
/// swapped in with one reference write. A request that already took the old model finishes on it. A file that does not
/// load (half written, corrupt) changes nothing: the old model keeps serving, the error is logged and shown by /health,
/// and the next change of the file is tried again. The first load happens in the constructor and throws, naming the file.
/// </summary>
/// <typeparam name="T">The loaded model (immutable, shared by concurrent requests).</typeparam>
public sealed class ModelFile<T> : IDisposable where T : class
{
    private readonly string _name;
    private readonly Func<byte[], T> _load;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly TimeSpan _delay;
    private readonly object _reloadGate = new();
    private LoadedModel<T> _current;

    /// <param name="name">What the model is, for messages ("classifier").</param>
    /// <param name="path">The model file (absolute).</param>
    /// <param name="load">Builds the model from the file's bytes; throws if they are not a model of this kind.</param>
    /// <param name="delay">Quiet time after the last change before reloading (a writer may still be writing).</param>
    /// <param name="logger">Where reloads and failed reloads are logged.</param>
    /// <exception cref="InvalidOperationException">The file is missing or does not load; the message names it.</exception>
    public ModelFile(string name, string path, Func<byte[], T> load, TimeSpan delay, ILogger logger)
    {
        _name = name;
        Path = path;
        _load = load;
        _delay = delay;
        _logger = logger;
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"The {name} model file '{path}' does not exist. Train it with: dotnet run --project examples/WebApi -- train <folder>, " +
                $"and name it in configuration (Models:{char.ToUpperInvariant(name[0])}{name[1..]}).");
        try { _current = Load(File.ReadAllBytes(path)); }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The {name} model file '{path}' could not be loaded: {e.Message}", e);
        }
        _logger.LogInformation("Loaded the {Name} model {Id} from {Path}", name, _current.Id, path);
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(path)!, System.IO.Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, e) => { if (e.FullPath == path) Schedule(); };
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The model file watched.</summary>
    public string Path { get; }

    /// <summary>The model serving now. Read it once per request and use that reference throughout.</summary>
    public LoadedModel<T> Current => Volatile.Read(ref _current);

    /// <summary>Models swapped in since start-up.</summary>
    public int Swaps { get; private set; }

    /// <summary>The last reload that failed since the last successful one (null when none did).</summary>
    public string? LastError { get; private set; }

    /// <summary>Reloads now (also what the watcher does after the quiet time). Returns true if a new model was swapped in.</summary>
    public bool Reload()
    {
        lock (_reloadGate)
        {
            try
            {
                var bytes = File.ReadAllBytes(Path);
                if (Id(bytes) == Current.Id)
                {
                    LastError = null; // the serving model's own file is back
                    return false;
                }
                var next = Load(bytes);
                Volatile.Write(ref _current, next);
                Swaps++;
                LastError = null;
                _logger.LogInformation("Swapped in the {Name} model {Id} from {Path}", _name, next.Id, Path);
                return true;
            }
            catch (Exception e)
            {
                LastError = $"{DateTimeOffset.UtcNow:O}: {e.GetType().Name}: {e.Message}";
                _logger.LogError(e, "The {Name} model file {Path} changed but does not load; still serving {Id}", _name, Path, Current.Id);
                return false;
            }
        }
    }

    private void Schedule() => _debounce.Change(_delay, Timeout.InfiniteTimeSpan);

    private LoadedModel<T> Load(byte[] bytes) => new(_load(bytes), Id(bytes), DateTimeOffset.UtcNow);

    private static string Id(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}

/// <summary>A loaded model with the first 12 hex digits of its file's SHA-256 (shown in every answer) and when it was loaded.</summary>
public sealed record LoadedModel<T>(T Model, string Id, DateTimeOffset LoadedAt);
