using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run bot, webhooks and processor in one process");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan serve: not implemented yet");
            return 2;
        });
        return command;
    }
}
