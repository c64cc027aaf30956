using System.Globalization;
using CatWrangler.Core.Annotation;
using CatWrangler.Core.Ports;

namespace CatWrangler.Adapters.Local;

/// <summary>
/// Images as files under <c>{data}/images/ab/cd/{sha256}</c>. Written to a temp file, fsync'd, renamed into place and
/// the directory entry synced, so a reader never sees half a file and an acknowledged write survives a crash or power loss.
/// Annotated pictures live under <c>{data}/annotated/{scanId}.png</c>.
/// </summary>
public sealed class FileImageStore(string dataPath) : IImageStore
{
    /// <summary>Images are spread over this many top-level folders, named by the first two hex digits of their hash.</summary>
    public const int ShardCount = 256;

    private const string ImagesFolder = "images";
    private readonly string _root = Path.GetFullPath(dataPath);

    public async Task<string> PutAsync(string sha256, string contentType, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Expected a SHA-256 in hex.", nameof(sha256));
        }

        var key = $"{ImagesFolder}/{sha256[..2]}/{sha256[2..4]}/{sha256.ToLowerInvariant()}";
        var path = PathOf(key);
        if (File.Exists(path))
        {
            // Content-addressed: same name, same bytes. Touching it tells the retention sweeper the image is in use again.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return key;
        }

        await WriteDurablyAsync(path, bytes, cancellationToken);
        return key;
    }

    public Task PutAnnotatedAsync(string scanId, ReadOnlyMemory<byte> png, CancellationToken cancellationToken)
        => WriteDurablyAsync(PathOf(AnnotatedImageKey.For(scanId)), png, cancellationToken);

    public Task<byte[]?> GetAnnotatedAsync(string scanId, CancellationToken cancellationToken)
        => GetAsync(AnnotatedImageKey.For(scanId), cancellationToken);

    /// <summary>Removes a scan's annotated picture, if any (the retention sweeper, when the scan goes).</summary>
    public void DeleteAnnotated(string scanId)
    {
        var path = PathOf(AnnotatedImageKey.For(scanId));
        if (File.Exists(path))
        {
            File.Delete(path); // File.Delete alone throws when the annotated/ folder was never created
        }
    }

    private async Task WriteDurablyAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        var newDirectories = NewDirectories(directory);
        Directory.CreateDirectory(directory);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(bytes, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            DirectorySync.Flush(directory);
            foreach (var created in newDirectories)
            {
                DirectorySync.Flush(Path.GetDirectoryName(created)!); // the parent holds the new directory's entry
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<byte[]?> GetAsync(string storageKey, CancellationToken cancellationToken)
    {
        var path = PathOf(storageKey);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    /// <summary>
    /// Deletes the image unless it was written or stored again after <paramref name="unusedSince"/> (an upload of the same
    /// bytes that has not written its scan yet). True when it was deleted.
    /// </summary>
    public bool DeleteIfUnusedSince(string storageKey, DateTimeOffset unusedSince)
    {
        var path = PathOf(storageKey);
        var file = new FileInfo(path);
        if (!file.Exists || file.LastWriteTimeUtc > unusedSince.UtcDateTime)
        {
            return false;
        }

        file.Delete();
        return true;
    }

    /// <summary>
    /// The keys of the files in top-level shard <paramref name="shard"/> (<c>images/{shard:x2}/</c>, one of
    /// <see cref="ShardCount"/>) last written at or before <paramref name="writtenBefore"/>: stored images and the temp files
    /// a crash left behind mid-write. Enumerated lazily, so a large shard costs no memory.
    /// </summary>
    public IEnumerable<string> KeysInShard(int shard, DateTimeOffset writtenBefore)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, ShardCount);
        var directory = new DirectoryInfo(Path.Combine(_root, ImagesFolder, shard.ToString("x2", CultureInfo.InvariantCulture)));
        if (!directory.Exists)
        {
            yield break;
        }

        foreach (var file in directory.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            if (file.LastWriteTimeUtc <= writtenBefore.UtcDateTime)
            {
                yield return Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            }
        }
    }

    /// <summary>The directories on the way to <paramref name="directory"/> that do not exist yet, deepest first.</summary>
    private List<string> NewDirectories(string directory)
    {
        var missing = new List<string>();
        for (var d = directory; d.Length > _root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Add(d);
        }

        return missing;
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
