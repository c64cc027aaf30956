using System.CommandLine;
using CatWrangler.Cli.Api;
using CatWrangler.Core.Scans;
using CatWrangler.Webhooks;
using Spectre.Console;

namespace CatWrangler.Cli.Commands;

internal static class SubmitCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "JPEG or PNG files" };
        var wait = new Option<bool>("--wait") { Description = "Poll until every scan is done and print the verdicts" };
        var callback = new Option<string?>("--callback") { Description = "Callback URL the service POSTs the result to" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --wait waits at most", DefaultValueFactory = _ => 120 };
        var inlineMax = new Option<long>("--inline-max")
        {
            Description = "Files larger than this many bytes go through the two-step upload (POST /v1/uploads); default: the AWS inline limit",
            DefaultValueFactory = _ => ScanApiOptions.AwsInlineMaxBytes,
        };
        var connection = new ConnectionOptions();
        var command = new Command("submit", "Submit images to a running service (signed scan API)") { files, wait, callback, timeout, inlineMax };
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (api, error) = connection.Resolve(parse);
            if (api is null)
            {
                Console.Error.WriteLine("catscan submit: " + error);
                return ExitCodes.Usage;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            var runner = new SubmitRunner(new ScanApiClient(http, api, TimeProvider.System), Console.Out, Console.Error);
            var request = new SubmitRequest(parse.GetValue(files)!, parse.GetValue(callback), parse.GetValue(wait), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))), parse.GetValue(inlineMax));
            return await runner.RunAsync(request, showProgress: request.Files.Count > 1 && !Console.IsOutputRedirected, ct);
        });
        return command;
    }
}
