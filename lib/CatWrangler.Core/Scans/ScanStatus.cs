namespace CatWrangler.Core.Scans;

public enum ScanStatus { Queued, Processing, Done, Failed }
