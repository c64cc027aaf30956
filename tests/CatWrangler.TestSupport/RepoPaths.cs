namespace CatWrangler.TestSupport;

/// <summary>Where the repository and the shared material are, seen from a test run.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding CatWrangler.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The labelled eval photos: <c>CATWRANGLER_EVAL_DIR</c>, else <c>../shared/eval</c> beside the repository.
    /// Null when absent: tests that need it skip with a message.
    /// </summary>
    public static string? EvalDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("CATWRANGLER_EVAL_DIR")
                ?? Path.GetFullPath(Path.Combine(Root, "..", "shared", "eval"));
            return File.Exists(Path.Combine(dir, "labels.csv")) ? dir : null;
        }
    }

    /// <summary>The eval directory, or skips the calling test with a clear message.</summary>
    public static string RequireEvalDirectory()
    {
        var dir = EvalDirectory;
        if (dir is null)
        {
            Xunit.Assert.Skip("../shared/eval (labelled photos) is absent; set CATWRANGLER_EVAL_DIR to run this test.");
        }

        return dir!;
    }

    /// <summary>One eval image by file name (e.g. <c>cat_0001.jpg</c>), skipping when the folder is absent.</summary>
    public static string EvalImage(string fileName) => Path.Combine(RequireEvalDirectory(), "images", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CatWrangler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CatWrangler.sln not found above " + AppContext.BaseDirectory);
    }
}
