namespace CatWrangler.Webhooks;

/// <summary>
/// Bytes of request bodies held before their signature is verified, process-wide and per client id (ids are not secret,
/// so one id must not use up everyone's share). A reservation is released when its holder is disposed, on every path.
/// </summary>
public sealed class PreAuthBodyBudget(ScanApiOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _byClient = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>Bytes currently reserved by all requests (for tests and diagnostics).</summary>
    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>An empty reservation for one request of <paramref name="clientId"/>; grow it before buffering more bytes.</summary>
    public Reservation Open(string clientId) => new(this, clientId);

    private bool TryTake(string clientId, long bytes)
    {
        lock (_lock)
        {
            var held = _byClient.GetValueOrDefault(clientId);
            if (_total + bytes > options.PreAuthBodyBudgetBytes || held + bytes > options.PreAuthBodyBytesPerClient)
            {
                return false;
            }

            _total += bytes;
            _byClient[clientId] = held + bytes;
            return true;
        }
    }

    private void Give(string clientId, long bytes)
    {
        lock (_lock)
        {
            _total -= bytes;
            var held = _byClient[clientId] - bytes;
            if (held == 0)
            {
                _byClient.Remove(clientId);
            }
            else
            {
                _byClient[clientId] = held;
            }
        }
    }

    /// <summary>The bytes one request holds; disposing gives them all back.</summary>
    public sealed class Reservation(PreAuthBodyBudget budget, string clientId) : IDisposable
    {
        public long Bytes { get; private set; }

        public bool TryGrow(long bytes)
        {
            if (!budget.TryTake(clientId, bytes))
            {
                return false;
            }

            Bytes += bytes;
            return true;
        }

        public void Dispose()
        {
            if (Bytes > 0)
            {
                budget.Give(clientId, Bytes);
                Bytes = 0;
            }
        }
    }
}
