
namespace CatWrangler.Core.Scans;

public sealed record ScanListView(IReadOnlyList<ScanView> Items);
