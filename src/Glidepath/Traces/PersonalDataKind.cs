namespace Glidepath.Traces;

/// <summary>
/// The kinds of personal data <see cref="ContentRedactor"/> finds, most specific first: where two kinds claim
/// overlapping text, the earlier one names it (an email address holding a phone number is an email address).
/// </summary>
internal enum PersonalDataKind
{
    Email,
    IpV6,
    IpV4,
    CreditCard,
    Phone,
}
