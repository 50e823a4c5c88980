using System.CommandLine;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath init [DIR]</c>: copies the bundled support-agent sample.</summary>
internal static class InitCommand
{
    public static Command Build(CliEnvironment env)
    {
        var dir = new Argument<string>("DIR") { Description = "Folder to create the app in (default: the current folder)", DefaultValueFactory = _ => "." };
        var command = new Command("init", """
            Create a new Glidepath app from the bundled sample (a customer-support agent on the simulated model).

            Example:
              glidepath init my-agent && cd my-agent && git init && git add -A && git commit -m "sample" && glidepath release create
            """)
        {
            dir,
        };
        command.SetAction(env, (ctx, parse, ct) =>
        {
            var target = Path.GetFullPath(parse.GetValue(dir)!);
            var sample = SamplePath();
            if (File.Exists(Path.Combine(target, "glidepath.yaml")))
            {
                throw new BadInputException($"{target} already has a glidepath.yaml; choose an empty folder");
            }

            var copied = CopyTree(sample, target);
            if (IgnoreStore(target))
            {
                copied.Add(".gitignore");
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { directory = target, files = copied });
            }
            else
            {
                ctx.Output.Line($"Created the support-agent sample in {target} ({copied.Count} files).");
                ctx.Output.Line("Next: cd there, commit it (git init && git add -A && git commit -m \"support-agent sample\"), then 'glidepath release create' and 'glidepath release list'.");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The sample ships beside the tool (see Glidepath.Cli.csproj).</summary>
    public static string SamplePath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sample");
        return Directory.Exists(path) ? path : throw new OperationalException($"the bundled sample is missing from {path}; reinstall the tool");
    }

    /// <summary>
    /// Keeps the local store out of git: a store inside the work tree would make every release look dirty.
    /// Returns true when it wrote or extended <c>.gitignore</c>.
    /// </summary>
    public static bool IgnoreStore(string target)
    {
        const string entry = ".glidepath/";
        var path = Path.Combine(target, ".gitignore");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, entry + "\n");
            return true;
        }

        var text = File.ReadAllText(path);
        if (text.Split('\n').Any(l => l.Trim() is entry or ".glidepath" or "/.glidepath/" or "/.glidepath"))
        {
            return false;
        }

        File.AppendAllText(path, (text.Length == 0 || text.EndsWith('\n') ? "" : "\n") + entry + "\n");
        return true;
    }

    public static List<string> CopyTree(string source, string target)
    {
        var copied = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(source, file);
            if (rel.StartsWith(".glidepath", StringComparison.Ordinal))
            {
                continue;
            }

            var dest = Path.Combine(target, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: false);
            copied.Add(rel.Replace('\\', '/'));
        }

        return copied;
    }
}
