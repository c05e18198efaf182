namespace Microsoft.ML.Lstm.MLNet.Internals;

/// <summary>
/// Rules for names of blob entries written beside a component's main stream: one path segment
/// of ASCII letters, digits, '.', '_' and '-', at most 64 characters, so the same name works in
/// every zip tool and on every file system.
/// </summary>
internal static class ModelEntryNames
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = 64;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> follows the rules.</summary>
    public static void Check(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > MaxLength || name is "." or ".." || !name.All(IsAllowed))
            throw new ArgumentException($"Entry name '{name}' must be 1 to {MaxLength} ASCII letters, digits, '.', '_' or '-'.",
                nameof(name));
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
