using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class SubmitCommand
{
    public static Command Create()
    {
        var command = new Command("submit", "Submit images to a running service");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan submit: not implemented yet");
            return 2;
        });
        return command;
    }
}
