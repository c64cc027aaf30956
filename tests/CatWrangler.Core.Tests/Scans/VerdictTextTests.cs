using CatWrangler.Core.Scans;

namespace CatWrangler.Core.Tests.Scans;

public sealed class VerdictTextTests
{
    private static Verdict Verdict(bool isCat, double confidence, params LabelScore[] labels)
        => new(isCat, confidence, [], labels, "onnx-test", "1", 0.175);

    [Fact]
    public void A_cat_is_yes_with_the_cat_score()
        => Assert.Equal("Yes (cat 0.44)", VerdictText.Summary(Verdict(true, 0.44, new("cat", 0.44), new("dog", 0.1))));

    [Fact]
    public void No_cat_names_the_top_label()
        => Assert.Equal("No (top: dog 0.81)", VerdictText.Summary(Verdict(false, 0.03, new("dog", 0.81), new("cat", 0.03))));

    [Fact]
    public void With_extra_views_the_deciding_score_is_shown_not_the_first_views()
    {
        // The first view saw cat 0.25 (over the 0.175 threshold); the mean over all views, 0.12, decided "no".
        var verdict = Verdict(false, 0.12, new("cat", 0.25), new("dog", 0.10));

        Assert.Equal("No (top: cat 0.12)", VerdictText.Summary(verdict));
    }

    [Fact]
    public void A_deciding_cat_score_below_another_label_gives_that_label_the_top()
        => Assert.Equal("No (top: dog 0.20)", VerdictText.Summary(Verdict(false, 0.15, new("cat", 0.25), new("dog", 0.20))));

    [Fact]
    public void Seen_lists_what_else_was_there()
    {
        var verdict = Verdict(false, 0.02, new("dog", 0.81), new("couch", 0.33), new("cat", 0.05), new("chair", 0.2), new("person", 0.1));

        Assert.Equal("dog 0.81, couch 0.33, chair 0.20", VerdictText.Seen(verdict));
    }

    [Fact]
    public void Seen_with_nothing_recognised_says_so()
        => Assert.Equal("nothing recognised (cat 0.02)", VerdictText.Seen(Verdict(false, 0.02)));

    [Fact]
    public void Rekognition_labels_are_matched_without_case()
        => Assert.Equal("No (top: Dog 0.90)", VerdictText.Summary(Verdict(false, 0.3, new("Cat", 0.95), new("Dog", 0.9))));
}
