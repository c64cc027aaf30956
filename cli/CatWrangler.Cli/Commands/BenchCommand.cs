using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Detector latency and throughput benchmark");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan bench: not implemented yet");
            return 2;
        });
        return command;
    }
}
