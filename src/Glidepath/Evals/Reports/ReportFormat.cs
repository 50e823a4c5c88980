using Glidepath.Errors;

namespace Glidepath.Evals.Reports;

/// <summary>Writes a gate report as markdown (PR comment), JUnit XML (one testcase per case), JSON or self-contained HTML.</summary>
public static class ReportFormat
{
    public static readonly IReadOnlyList<string> Names = ["md", "junit", "json", "html"];

    public static string Render(GateReport report, string format) => Parse(format) switch
    {
        "md" => MarkdownReport.Render(report),
        "junit" => JUnitReport.Render(report),
        "json" => JsonReport.Render(report),
        _ => HtmlReport.Render(report),
    };

    /// <summary>The format's name in <see cref="Names"/> (<c>markdown</c> is <c>md</c>, <c>xml</c> is <c>junit</c>); an unknown one is bad input.</summary>
    public static string Parse(string format) => format switch
    {
        "md" or "markdown" => "md",
        "junit" or "xml" => "junit",
        "json" or "html" => format,
        _ => throw new BadInputException($"unknown report format '{format}'; expected one of: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The format implied by a file name: <c>.md</c>/<c>.markdown</c> or none (<c>/dev/stdout</c>) markdown, <c>.xml</c>
    /// or <c>.junit</c> JUnit, <c>.json</c>, <c>.html</c>/<c>.htm</c>. Any other ending is bad input rather than markdown
    /// written under it (<c>gate.junit</c> and <c>gate.txt</c> once got markdown without a word).
    /// </summary>
    public static string FromFileName(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".xml" or ".junit" => "junit",
        ".json" => "json",
        ".html" or ".htm" => "html",
        "" or ".md" or ".markdown" => "md",
        var other => throw new BadInputException($"--report {path}: cannot tell the report's format from '{other}'; expected a file ending in .md, .xml (JUnit), .json or .html, or --report-format md|junit|json|html"),
    };
}
