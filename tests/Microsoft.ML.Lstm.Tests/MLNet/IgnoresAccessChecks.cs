using System.Runtime.CompilerServices;

// The test assembly uses ML.NET internals too (ScaleTransformer subclasses RowToRowTransformerBase
// and has a ModelLoadContext loader). The attribute type is the library's, seen through
// InternalsVisibleTo; the CLR matches it by name.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]
