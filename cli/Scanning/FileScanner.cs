using CatWrangler.Core.Detection;
using CatWrangler.Core.Images;

namespace CatWrangler.Cli.Scanning;

/// <summary>Validates (the one validator) and classifies files; never throws for a bad file.</summary>
internal sealed class FileScanner(ImageValidator validator, ICatDetector detector)
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif",
    };

    /// <summary>Files named explicitly, plus image-looking files (by extension) found under named folders, sorted.</summary>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    public async Task<FileOutcome> ScanAsync(string file, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(file))
            {
                return new FileOutcome(file, null, "not_found", "No such file.");
            }

            var length = new FileInfo(file).Length;
            if (length > validator.Limits.MaxBytes)
            {
                return Rejected(file, ImageRejection.TooLarge, $"The file has {length:N0} bytes; the limit is {validator.Limits.MaxBytes:N0}.");
            }

            bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(file, null, "unreadable", e.Message);
        }

        // Content decides the format: a local file has no declared type worth trusting.
        switch (validator.Check(bytes))
        {
            case ImageCheck.Rejected rejected:
                return Rejected(file, rejected.Reason, rejected.Message);
            case ImageCheck.Accepted accepted:
                try
                {
                    var result = await detector.DetectAsync(new ImageContent(bytes, accepted.Format, accepted.Width, accepted.Height), cancellationToken);
                    return new FileOutcome(file, result, null, null);
                }
                catch (ImageRejectedException e)
                {
                    return Rejected(file, e.Reason, e.Message);
                }

            default:
                throw new InvalidOperationException("unknown image check outcome");
        }
    }

    private static FileOutcome Rejected(string file, ImageRejection reason, string message) => new(file, null, reason.Code(), message);
}
