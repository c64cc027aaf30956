using System.CommandLine;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Scans;
using CatWrangler.Webhooks;
using Spectre.Console;

namespace CatWrangler.Cli.Commands;

internal static class ScanViewExtensions
{
    extension(ScanView scan)
    {
        public bool IsTerminal => scan.Status is ScanStatus.Done or ScanStatus.Failed;
    }
}
