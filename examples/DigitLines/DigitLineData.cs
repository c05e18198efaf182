namespace Microsoft.ML.Lstm.Examples;

/// <summary>One handwriting-like line: frames of 8 pixel values (one image column per step) and the digits written.</summary>
public sealed class DigitLine
{
    /// <summary>Steps × 8 values, column after column, left to right.</summary>
    public float[] Frames { get; set; } = [];

    /// <summary>The digits of the line, left to right, as text ("0" … "9").</summary>
    public string[] Digits { get; set; } = [];
}

/// <summary>
/// Lines of handwritten digits built from 8×8 images (the UCI / scikit-learn digits): a seeded number of images side by
/// side, each shifted down by 0 or 1 row, with 0–2 blank columns between them and one blank column at each end, read column
/// by column (8 values per step). The images of a line are drawn from the list given, so lines built from training-split
/// digits and lines built from test-split digits share no image.
/// </summary>
public static class DigitLineData
{
    /// <summary><paramref name="count"/> lines of <paramref name="minDigits"/> … <paramref name="maxDigits"/> digits.</summary>
    /// <param name="images">The images to draw from: 64 pixel values (row after row) and the digit.</param>
    /// <param name="count">Lines to build.</param>
    /// <param name="minDigits">Fewest digits in a line.</param>
    /// <param name="maxDigits">Most digits in a line.</param>
    /// <param name="seed">Seed of the draws.</param>
    public static List<DigitLine> Lines(IReadOnlyList<(float[] Pixels, int Digit)> images, int count, int minDigits, int maxDigits,
        int seed)
    {
        var rng = new Random(seed);
        var lines = new List<DigitLine>(count);
        for (int n = 0; n < count; n++)
        {
            int k = rng.Next(minDigits, maxDigits + 1);
            var frames = new List<float>();
            var digits = new string[k];
            for (int i = 0; i < k; i++)
            {
                var (pixels, digit) = images[rng.Next(images.Count)];
                digits[i] = digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                int shift = rng.Next(2), gap = i == 0 ? 1 : rng.Next(3);
                for (int g = 0; g < gap; g++) frames.AddRange(new float[8]);
                for (int col = 0; col < 8; col++)
                    for (int row = 0; row < 8; row++)
                        frames.Add(row - shift >= 0 ? pixels[(row - shift) * 8 + col] / 16f : 0);
            }
            frames.AddRange(new float[8]);
            lines.Add(new DigitLine { Frames = [.. frames], Digits = digits });
        }
        return lines;
    }

    /// <summary>The images of examples/data/sklearn_digits_8x8.csv (label, then 64 pixels 0–16 row after row).</summary>
    public static List<(float[] Pixels, int Digit)> LoadImages(string path) =>
        [.. File.ReadLines(path).Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            return (cells.Skip(1).Select(c => float.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture));
        })];
}
