using Spectre.Console;

namespace Glidepath.Cli.Demo;

/// <summary>Prints the demo's story: step headings, explanations and the commands it runs.</summary>
internal sealed class DemoNarrator(CliOutput output, TextWriter plain)
{
    public void Step(int number, string title)
    {
        if (output.Ansi is { } ansi)
        {
            ansi.WriteLine();
            ansi.Write(new Rule($"[bold]Step {number} · {Markup.Escape(title)}[/]").LeftJustified());
            return;
        }

        plain.WriteLine();
        plain.WriteLine($"=== Step {number} · {title} ===");
    }

    public void Say(string text)
    {
        if (output.Ansi is { } ansi)
        {
            ansi.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
            return;
        }

        plain.WriteLine(text);
    }

    public void Command(string commandLine)
    {
        if (output.Ansi is { } ansi)
        {
            ansi.MarkupLine($"[bold cyan]$ {Markup.Escape(commandLine)}[/]");
            return;
        }

        plain.WriteLine($"$ {commandLine}");
    }

    public void Result(bool good, string text)
    {
        if (output.Ansi is { } ansi)
        {
            ansi.MarkupLine($"{(good ? "[green]✔[/]" : "[red]✘[/]")} {Markup.Escape(text)}");
            return;
        }

        plain.WriteLine($"{(good ? "[ok]" : "[!!]")} {text}");
    }
}
