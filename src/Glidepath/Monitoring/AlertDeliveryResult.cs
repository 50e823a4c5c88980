namespace Glidepath.Monitoring;

/// <summary>One webhook delivery attempt a check made: which alert, its attempt number, and how it went (sent, or failed: reason).</summary>
public sealed record AlertDeliveryResult(string AlertId, int Attempt, string Outcome)
{
    public bool Sent => Outcome == AlertDelivery.Sent;
}
