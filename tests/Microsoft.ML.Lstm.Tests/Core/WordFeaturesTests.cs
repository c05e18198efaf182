using Microsoft.ML.Lstm.Core;

namespace Microsoft.ML.Lstm.Tests.Core;

public class WordFeaturesTests
{
    private static readonly WordFeatures Words = WordFeatures.Build(
        ["The", "the", "nation", "station", "ran", "Ran", "1961", "1962", "U.S.", "U.K.", "once"]);

    private static int[] Ids(string word)
    {
        var ids = new int[WordFeatures.Slots];
        Words.Encode(word, ids);
        return ids;
    }

    [Fact]
    public void WordsSeenTwiceGetTheirOwnIdAndRareOnesTheUnknownOne()
    {
        Assert.True(Words.IsKnown("the"));
        Assert.True(Words.IsKnown("THE"));   // the word id is of the lowercased word
        Assert.False(Words.IsKnown("nation"));
        Assert.Equal(0, Ids("nation")[0]);
        Assert.Equal(0, Ids("never-seen")[0]);
        Assert.Equal(Ids("The")[0], Ids("the")[0]);
        Assert.NotEqual(Ids("The")[3], Ids("the")[3]);   // …but the shape keeps the capital
    }

    [Fact]
    public void ANewWordIsReadByItsSuffixesAndShape()
    {
        var known = Ids("nation");
        var fresh = Ids("creation");
        Assert.Equal(0, fresh[0]);
        Assert.True(fresh[1] >= WordFeatures.Slots, "suffix 'ion' seen twice");
        Assert.Equal(known[1], fresh[1]);
        Assert.Equal(known[2], fresh[2]);
        Assert.Equal(Ids("1961")[3], Ids("2024")[3]);   // shape "d"
        Assert.Equal(Ids("U.S.")[3], Ids("E.U.")[3]);   // shape "X.X."
        Assert.Equal(3, Ids("#$%")[3]);                  // a shape never seen: the unknown shape
    }

    [Fact]
    public void EntriesRoundTripAndBadEntriesAreRefused()
    {
        var copy = new WordFeatures(Words.Entries);
        foreach (var w in new[] { "the", "creation", "1999", "x" })
        {
            var a = new int[WordFeatures.Slots];
            copy.Encode(w, a);
            Assert.Equal(Ids(w), a);
        }
        Assert.Throws<ArgumentException>(() => new WordFeatures(["q\u001fthe"]));
        Assert.Throws<ArgumentException>(() => new WordFeatures(["w\u001fthe", "w\u001fthe"]));
        Assert.Throws<ArgumentException>(() => new WordFeatures(["the"]));
    }

    [Fact]
    public void LongWordsAreCutNotRefused()
    {
        string longWord = new('a', 500);
        var ids = Ids(longWord);
        Assert.Equal(0, ids[0]);
        Assert.All(ids, id => Assert.InRange(id, 0, Words.VocabularySize - 1));
    }
}
