namespace Glidepath.Storage.InMemory;

/// <summary>
/// Runs an in-memory operation at once and hands back a completed task, with the failure or cancellation inside the
/// task as an awaited database call would have it (never thrown at the call site).
/// </summary>
internal static class Synchronously
{
    public static Task<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(operation());
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    public static Task Run(Action operation, CancellationToken cancellationToken) =>
        Run(() =>
        {
            operation();
            return true;
        }, cancellationToken);
}
