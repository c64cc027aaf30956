using CatWrangler.Cli.Commands;
using CatWrangler.Cli.Scanning;
using Xunit;

namespace CatWrangler.Cli.Tests;

public sealed class EvalReportTests
{
    [Fact]
    public void Counts_rates_and_auc_follow_the_threshold()
    {
        EvalItem[] items =
        [
            new("c1", "cat", 0.9, "cat"), new("c2", "cat", 0.4, "cat"), new("c3", "cat", 0.1, "dog"), new("c4", "cat", null, "truncated"),
            new("n1", "nocat", 0.05, "dog"), new("n2", "nocat", 0.5, "cat"), new("n3", "nocat", 0.2, "person"),
            new("b1", "bigcat", 0.6, "cat"), new("b2", "bigcat", 0.01, "bear"),
        ];

        var r = EvalReport.Compute(items, 0.3);

        Assert.Equal((4, 3), (r.Positives, r.Negatives));
        Assert.Equal((2, 2, 1, 2), (r.TruePositives, r.FalseNegatives, r.FalsePositives, r.TrueNegatives));
        Assert.Equal(4.0 / 7, r.Accuracy, 6);
        Assert.Equal(0.5, r.Recall, 6);
        Assert.Equal(1.0 / 3, r.FalsePositiveRate, 6);
        Assert.Equal((2, 1), (r.BigCats, r.BigCatsFlagged)); // bigcat counted apart, never in the confusion matrix
        // cat scores 0.9, 0.4, 0.1, 0 (unclassified) vs 0.05, 0.5, 0.2: 6 of 12 pairs won
        Assert.Equal(6.0 / 12, r.Auc, 6);
        Assert.Equal(["c4", "c3"], r.Misclassified.Where(m => m.Label == "cat").Select(m => m.File)); // weakest first
        Assert.Equal(["n2"], r.Misclassified.Where(m => m.Label == "nocat").Select(m => m.File));
        Assert.Equal(["c4"], r.Unclassified.Select(u => u.File));
    }

    [Fact]
    public void Report_names_every_misclassified_file()
    {
        var r = EvalReport.Compute([new("cat_1.jpg", "cat", 0.1, "dog 0.80"), new("nocat_1.jpg", "nocat", 0.9, "cat 0.90")], 0.5);

        var text = r.Format();

        Assert.Contains("missed cat   cat_1.jpg  score 0.100  top dog 0.80", text);
        Assert.Contains("false alarm  nocat_1.jpg  score 0.900", text);
        Assert.Contains("accuracy       0.0 %", text);
    }

    [Fact]
    public void Labels_csv_reads_file_and_label_and_ignores_quoted_tail_columns()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "file,label,source,notes\nimages/a.jpg,cat,\"x, y\",n\nimages/b.png,nocat,s,\"q,r\"\nimages/c.jpg,unknown,s,n\n");

            var rows = EvalCommand.ReadLabels(path);

            Assert.Equal([("images/a.jpg", "cat"), ("images/b.png", "nocat")], rows);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
