using System.CommandLine;

namespace CatWrangler.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Accuracy report on a labelled folder");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("catscan eval: not implemented yet");
            return 2;
        });
        return command;
    }
}
