namespace Glidepath.Traces;

/// <summary>A stretch of text found to be personal data of one kind.</summary>
internal readonly record struct PersonalDataMatch(int Start, int Length, PersonalDataKind Kind)
{
    public int End => Start + Length;
}
