using Glidepath.Storage;

namespace Glidepath.Tests.Storage;

/// <summary>The mark of an unfinished <c>glidepath store copy</c>: no password in what it stores or shows, and a row written by hand shown as plain text.</summary>
public sealed class UnfinishedCopyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Begin_SourceWithAPassword_StoredMasked_StartInUtc()
    {
        var mark = UnfinishedCopy.Begin("Host=old;Password=hunter2;Database=gp", Start);

        Assert.Equal(("Host=old;Password=***;Database=gp", "2026-12-07T09:30:00.0000000Z"), (mark.Source, mark.StartedAt));
    }

    [Fact]
    public void Refusal_NamesLocationStartSourceAndTheWaysOut()
    {
        var refusal = UnfinishedCopy.Begin("/srv/gp/glidepath.db", Start).Refusal("postgres://gp@db/gp");

        Assert.Equal(
            "postgres://gp@db/gp is the target of a 'glidepath store copy' that did not finish (started 2026-12-07T09:30:00.0000000Z from /srv/gp/glidepath.db); "
            + "run the same 'glidepath store copy' again to finish it, or delete it (nothing was read or written)",
            refusal.Message);
        Assert.Equal(Glidepath.Errors.FailureKind.Operational, refusal.Kind);
    }

    [Fact]
    public void Refusal_RowWrittenByHand_PasswordMaskedControlCharactersEscapedLengthBounded()
    {
        var refusal = new UnfinishedCopy("postgres://u:hunter2@h/db\u001b[2J" + new string('x', 1000), "2026\r\n").Refusal("postgres://gp@db/gp");

        Assert.DoesNotContain("hunter2", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', refusal.Message);
        Assert.DoesNotContain('\n', refusal.Message);
        Assert.True(refusal.Message.Length < 700, refusal.Message);
    }
}
