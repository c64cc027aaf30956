using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class ScanCommand
{
    public static Command Create()
    {
        var command = new Command("scan", "Classify JPEG/PNG files offline");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan scan: not implemented yet");
            return 2;
        });
        return command;
    }
}
