using System.CommandLine;
using System.Text.Json;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Json;

namespace CatWrangler.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "Scan id printed by submit" };
        var json = new Option<bool>("--json") { Description = "Print the scan as JSON" };
        var debug = new Option<bool>("--debug") { Description = "Include debug data (needs the debug scope)" };
        var connection = new ConnectionOptions();
        var command = new Command("status", "Show a scan from a running service") { id, json, debug };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (api, error) = connection.Resolve(parse);
            if (api is null)
            {
                Console.Error.WriteLine("catscan status: " + error);
                return ExitCodes.Usage;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var runner = new StatusRunner(new ScanApiClient(http, api, TimeProvider.System), Console.Out, Console.Error);
            return await runner.RunAsync(parse.GetValue(id)!, parse.GetValue(json), parse.GetValue(debug), ct);
        });
        return command;
    }
}
