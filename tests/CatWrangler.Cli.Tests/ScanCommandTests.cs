using SkiaSharp;
using CatWrangler.Cli.Commands;
using CatWrangler.TestSupport;
using Xunit;

namespace CatWrangler.Cli.Tests;

/// <summary>`catscan scan` run in-process against the real detector: bad files get one line each, never a stack trace.</summary>
public sealed class ScanCommandTests(ModelFixture model) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("catscan-test-").FullName;

    private static readonly string[] BadFileNames = ["animation.gif", "photo.webp", "notes.jpg", "empty.jpg", "zero.png", "bomb.png", "cut.jpg"];

    public static TheoryData<string, string> BadFileCases => new()
    {
        { "animation.gif", "unsupported_format" },
        { "photo.webp", "unsupported_format" },
        { "notes.jpg", "unsupported_format" },
        { "empty.jpg", "empty" },
        { "zero.png", "bad_dimensions" },
        { "bomb.png", "bad_dimensions" },
        { "cut.jpg", "truncated" },
    };

    [Theory]
    [MemberData(nameof(BadFileCases))]
    public async Task Bad_file_gets_one_line_with_its_reason_and_exit_code_1(string name, string code)
    {
        var file = Write(name, BadFile(name));

        var (exit, stdout, stderr) = await Scan([file]);

        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(stdout));
        Assert.StartsWith($"{file}: rejected ({code}): ", line);
        Assert.DoesNotContain("Exception", stdout + stderr);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public async Task Mixed_folder_reports_every_file_and_fails_overall()
    {
        foreach (var name in BadFileNames)
        {
            Write(name, BadFile(name));
        }

        Write("good.png", GoodPng());

        var (exit, stdout, _) = await Scan([dir]);

        Assert.Equal(1, exit);
        var lines = Lines(stdout);
        Assert.Equal(BadFileNames.Length + 1, lines.Count);
        Assert.Single(lines, l => l.Contains("good.png: No (top: ", StringComparison.Ordinal) || l.Contains("good.png: Yes (cat ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_good_files_exit_0_and_json_has_the_documented_fields()
    {
        var file = Write("plain.png", GoodPng());

        var (exit, stdout, _) = await Scan([file], json: true);

        Assert.Equal(0, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(Assert.Single(Lines(stdout)));
        var root = doc.RootElement;
        Assert.Equal(file, root.GetProperty("file").GetString());
        Assert.False(root.GetProperty("isCat").GetBoolean()); // a colour gradient is not a cat
        Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.Equal(5, root.GetProperty("labels").GetArrayLength());
        Assert.Equal(0, root.GetProperty("boxes").GetArrayLength());
        foreach (var stage in new[] { "decode", "preprocess", "inference", "total" })
        {
            Assert.True(root.GetProperty("timingsMs").GetProperty(stage).GetDouble() >= 0, stage);
        }
    }

    [Fact]
    public async Task Json_error_lines_carry_code_and_message()
    {
        var file = Write("animation.gif", TestImages.Gif());

        var (_, stdout, _) = await Scan([file], json: true);

        using var doc = System.Text.Json.JsonDocument.Parse(Assert.Single(Lines(stdout)));
        Assert.Equal("unsupported_format", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(doc.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Annotate_writes_a_picture_for_the_cat_and_none_for_the_dog()
    {
        RepoPaths.RequireEvalDirectory();
        var cat = RepoPaths.EvalImage("cat_0046.jpg");
        var dog = RepoPaths.EvalImage("nocat_0015.jpg");
        var output = Path.Combine(dir, "annotated");

        var (exit, stdout, stderr) = await Scan([cat, dog], annotate: output);

        Assert.Equal(0, exit);
        Assert.Contains("cat_0046.jpg: Yes (cat ", stdout);
        Assert.Contains("nocat_0015.jpg: No (top: ", stdout);
        var written = Assert.Single(Directory.GetFiles(output));
        Assert.Equal("cat_0046.annotated.png", Path.GetFileName(written));
        Assert.Contains(written, stderr);
        using var codec = SKCodec.Create(written);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        Assert.True(Math.Max(codec.Info.Width, codec.Info.Height) <= 1600);
    }

    [Fact]
    public async Task Missing_model_stops_with_a_message_and_exit_code_2()
    {
        var file = Write("plain.png", GoodPng());
        // A model directory below a regular file can never be created, so the model cannot be had.
        var blocker = Write("not-a-directory", [1]);
        var overrides = new Dictionary<string, string?> { ["CatWrangler:Detector:ModelDirectory"] = Path.Combine(blocker, "models") };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ScanCommand.RunAsync([file], json: false, overrides, stdout, stderr, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("cat detector could not start", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Fact]
    public async Task A_bad_detector_setting_stops_with_the_key_and_exit_code_2()
    {
        var file = Write("plain.png", GoodPng());
        var overrides = new Dictionary<string, string?>
        {
            ["CatWrangler:Detector:ModelDirectory"] = Path.GetDirectoryName(model.ModelPath),
            ["CatWrangler:Detector:InferenceThreads"] = "0",
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await ScanCommand.RunAsync([file], json: false, overrides, stdout, stderr, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("CatWrangler:Detector:InferenceThreads", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] BadFile(string name) => name switch
    {
        "animation.gif" => TestImages.Gif(),
        "photo.webp" => TestImages.WebP(),
        "notes.jpg" => TestImages.Text(),
        "empty.jpg" => [],
        "zero.png" => TestImages.PngWithHeader(0, 0),
        "bomb.png" => TestImages.PngWithHeader(30000, 30000), // header of a 900-megapixel image, a few bytes of data
        "cut.jpg" => TestImages.TruncatedJpeg(0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] GoodPng() => TestImages.Png();

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> Scan(string[] paths, bool json = false, string? annotate = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var overrides = new Dictionary<string, string?>
        {
            ["CatWrangler:Detector:ModelDirectory"] = Path.GetDirectoryName(model.ModelPath),
            ["CatWrangler:Detector:IntraOpThreads"] = "1",
        };
        var exit = await ScanCommand.RunAsync(paths, json, overrides, stdout, stderr, TestContext.Current.CancellationToken, annotate);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static List<string> Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
