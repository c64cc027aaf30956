using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "Show a scan from a running service");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan status: not implemented yet");
            return 2;
        });
        return command;
    }
}
