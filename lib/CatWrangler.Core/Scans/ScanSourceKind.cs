namespace CatWrangler.Core.Scans;

public enum ScanSourceKind { Api, Slack }
