using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CatWrangler.Core;
using CatWrangler.Core.Images;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Uploads;

namespace CatWrangler.Adapters.Local;

/// <summary>
/// The embedded default's stand-in for a presigned S3 <c>PUT</c>: <c>{api}/v1/uploads/{id}?client=…&amp;expires=…&amp;signature=…</c>,
/// an HMAC-SHA256 over client, id and expiry with a key that lives only in this process (a restart voids open URLs).
/// Each URL stores once, streaming to <c>{data}/uploads/{client}/{id}</c> under the image size limit; staged files older
/// than <see cref="UploadOptions.Retention"/> are swept whenever a new slot is created.
/// </summary>
public sealed class LocalUploadStaging(CatWranglerOptions options, UploadOptions uploads, ImageLimits limits, TimeProvider time) : IUploadStaging
{
    public const string RoutePrefix = "/v1/uploads/";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly string _root = Path.Combine(Path.GetFullPath(options.DataPath), "uploads");
    private long _lastSweepTicks;

    public Task<UploadSlot> CreateAsync(string clientId, Uri apiBase, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        SweepIfDue(now);
        var id = UploadIds.New();
        var expires = (now + uploads.UrlLifetime).ToUnixTimeSeconds();
        var query = $"client={Uri.EscapeDataString(clientId)}&expires={expires.ToString(CultureInfo.InvariantCulture)}&signature={Sign(clientId, id, expires)}";
        var url = new Uri(apiBase, $"{apiBase.AbsolutePath.TrimEnd('/')}{RoutePrefix}{id}?{query}");
        return Task.FromResult(new UploadSlot(id, url, "PUT", new Dictionary<string, string>(), DateTimeOffset.FromUnixTimeSeconds(expires), limits.MaxBytes));
    }

    /// <summary>Streams <paramref name="body"/> into the staging file when the URL's signature and expiry hold.</summary>
    public async Task<UploadReceipt> ReceiveAsync(string clientId, string uploadId, string expires, string signature, long? contentLength, Stream body, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(clientId, uploadId, expiresAt)), Encoding.ASCII.GetBytes(signature)))
        {
            return UploadReceipt.InvalidSignature;
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() > expiresAt)
        {
            return UploadReceipt.Expired;
        }

        if (contentLength > limits.MaxBytes)
        {
            return UploadReceipt.TooLarge;
        }

        var path = PathOf(clientId, uploadId);
        if (File.Exists(path))
        {
            return UploadReceipt.AlreadyUsed;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                if (!await CopyCappedAsync(body, file, limits.MaxBytes, cancellationToken))
                {
                    return UploadReceipt.TooLarge;
                }

                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false); // a concurrent PUT of the same URL loses here: single use
            }
            catch (IOException) when (File.Exists(path))
            {
                return UploadReceipt.AlreadyUsed;
            }

            return UploadReceipt.Stored;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<StagedUpload> ReadAsync(string clientId, string uploadId, long maxBytes, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(uploadId))
        {
            return new StagedUpload.Missing();
        }

        var file = new FileInfo(PathOf(clientId, uploadId));
        if (!file.Exists || time.GetUtcNow() - file.LastWriteTimeUtc > uploads.Retention)
        {
            return new StagedUpload.Missing();
        }

        return file.Length > maxBytes
            ? new StagedUpload.TooLarge(file.Length)
            : new StagedUpload.Found(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
    }

    /// <summary>Deletes staged files (and abandoned partial ones) older than the retention.</summary>
    public void Sweep()
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        var cutoff = time.GetUtcNow() - uploads.Retention;
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
            {
                File.Delete(file);
            }
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last >= SweepInterval.Ticks && Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) == last)
        {
            Sweep();
        }
    }

    private static async Task<bool> CopyCappedAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return false;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return true;
    }

    private string Sign(string clientId, string uploadId, long expires)
        => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{clientId}\n{uploadId}\n{expires.ToString(CultureInfo.InvariantCulture)}")));

    private string PathOf(string clientId, string uploadId)
    {
        // Client ids are validated by the API (letters, digits, '_', '.', '-'); refuse anything that could leave the folder.
        if (clientId.Length == 0 || clientId.Contains('/') || clientId.Contains('\\') || clientId is "." or "..")
        {
            throw new ArgumentException("Invalid client id.", nameof(clientId));
        }

        return Path.Combine(_root, clientId, uploadId);
    }
}
