namespace Glidepath.Cli.Commands;

/// <summary>Money and shares in command output: <see cref="Views.Figures"/>, the dashboard's figures too.</summary>
internal static class FigureText
{
    /// <summary>"$5", "$0.06", "$0.000405".</summary>
    public static string Usd(double value) => Views.Figures.Usd(value);

    /// <summary>A share in [0, 1] as a percentage: "10%", "12.5%", "0.0001%".</summary>
    public static string Percent(double share) => Views.Figures.Percent(share);
}
