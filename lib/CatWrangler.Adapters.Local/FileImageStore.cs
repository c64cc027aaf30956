using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Local;

/// <summary>
/// Images as files under <c>{data}/images/ab/cd/{sha256}</c>. Written to a temp file, fsync'd, then renamed into
/// place, so a reader never sees half a file and an acknowledged write survives a crash.
/// </summary>
public sealed class FileImageStore(string dataPath) : IImageStore
{
    private readonly string _root = Path.GetFullPath(dataPath);

    public async Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Expected a SHA-256 in hex.", nameof(sha256));
        }

        var key = $"images/{sha256[..2]}/{sha256[2..4]}/{sha256.ToLowerInvariant()}";
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return key; // content-addressed: same name, same bytes
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(bytes, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return key;
    }

    public async Task<byte[]?> GetAsync(string storageKey, CancellationToken cancellationToken)
    {
        var path = PathOf(storageKey);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Storage key outside the data folder.", nameof(key));
        }

        return path;
    }
}
