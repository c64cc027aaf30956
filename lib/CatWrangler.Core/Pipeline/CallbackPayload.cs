using System.Globalization;
using System.Text.Json;
using CatWrangler.Core.Json;
using CatWrangler.Core.Ports;
using CatWrangler.Core.Scans;
using CatWrangler.Core.Security;
using Microsoft.Extensions.Logging;

namespace CatWrangler.Core.Pipeline;

/// <summary>The callback body.</summary>
public sealed record CallbackPayload(string Type, DateTimeOffset Timestamp, ScanView Data);
