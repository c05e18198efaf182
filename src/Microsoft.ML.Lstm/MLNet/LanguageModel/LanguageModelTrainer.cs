using Microsoft.ML.Lstm.Core;
using Microsoft.ML.Lstm.Kernels;
using Microsoft.ML.Lstm.MLNet.Internals;
using Microsoft.ML.Lstm.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Lstm;

/// <summary>
/// Trains a language model on the texts of a column: builds the vocabulary (<see cref="TextVocabulary"/>), writes the
/// texts one after another, each after a boundary token, into one stream of ids, holds the end of that stream out for
/// validation when asked, and runs the library's training loop on next-token prediction (<see cref="LanguageModelTask"/>).
/// </summary>
internal static class LanguageModelTrainer
{
    public static LstmLanguageModelTransformer Train(IHostEnvironment env, LstmLanguageModelOptions o, IDataView input)
    {
        using var cancel = HostServices.Cancellation(env);
        var texts = TextColumn.ReadAll(input, o.InputColumnName, cancel.ThrowIfCanceled);
        var vocabulary = TextVocabulary.Build(o.Level, texts);
        var stream = texts.SelectMany(vocabulary.Encode).ToArray();
        int[]? validation = null;
        if (o.ValidationFraction > 0)
        {
            int cut = stream.Length - (int)Math.Round(stream.Length * o.ValidationFraction);
            if (cut < 2 || stream.Length - cut < 2)
                throw new ArgumentException(
                    $"A ValidationFraction of {o.ValidationFraction} leaves {stream.Length - cut} of the {stream.Length} tokens of " +
                    $"column '{o.InputColumnName}' for validation and {cut} for training; each needs at least 2. Give more text or set " +
                    "ValidationFraction = 0 (and EarlyStoppingPatience = 0).", "input");
            validation = stream[cut..];
            stream = stream[..cut];
        }
        if (stream.Length < 2)
            throw new ArgumentException(
                $"Column '{o.InputColumnName}' holds a single token: there is no next token to learn from.", "input");

        ulong seed = HostServices.Seed(o.Seed, env);
        var lstm = o.ToLstmOptions();
        var training = lstm.ToTrainingOptions(LossKind.SoftmaxCrossEntropy, seed);
        var spec = o.SpecFor(vocabulary.Count);
        var net = new LstmNetwork<float>(spec, new ComputeContext<float>(o.NumberOfThreads));
        net.Initialize(seed);
        HostServices.Info(env, nameof(LstmLanguageModelEstimator),
            $"training a {o.Level.ToString().ToLowerInvariant()}-level language model on {stream.Length:N0} tokens " +
            $"({vocabulary.Count:N0} in the vocabulary{(validation is null ? "" : $", {validation.Length:N0} held out")}): " +
            $"{spec.NumberOfLayers} layer(s) × {spec.HiddenSize} hidden, {net.Parameters.Count:N0} parameters");
        training.Progress = LstmTrainer.Progress(env, nameof(LstmLanguageModelEstimator), lstm, cancel, "");
        var settings = TrainingLoop.Settings(training) with
        {
            EarlyStoppingPatience = validation is null ? 0 : training.EarlyStoppingPatience,
            WeightAveraging = o.WeightAveraging > 0 ? o.WeightAveraging : null,
            WeightAveragingWarmUp = true,
        };
        var task = new LanguageModelTask(net, stream, validation, o.SequenceLength, training.Optimizer);
        var result = TrainingLoop.Run(task, settings, cancel.Token);

        var trained = o.Clone();
        trained.Seed = (int)(uint)seed;
        trained.Progress = null;
        return new LstmLanguageModelTransformer(trained, vocabulary, net, [.. result.History]);
    }
}
