namespace Glidepath.Cli.Remote.Answers;

/// <summary><c>monitor --resend</c>'s JSON view read back (<c>{alert, attempt, outcome, delivery}</c>): its line is printed from it, locally and through the admin API alike.</summary>
internal sealed record ResendAnswer(string Alert, int Attempt, string Outcome);
