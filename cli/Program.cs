using System.CommandLine;
using CatWrangler.Cli.Commands;

namespace CatWrangler.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("catscan: does this JPEG or PNG contain a cat?")
        {
            ScanCommand.Create(),
            EvalCommand.Create(),
            BenchCommand.Create(),
            ServeCommand.Create(),
            SubmitCommand.Create(),
            StatusCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
