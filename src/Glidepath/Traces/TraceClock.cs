namespace Glidepath.Traces;

/// <summary>
/// What retention checks its clock against: the store's own time (<see cref="StoreNow"/>: the PostgreSQL server's clock;
/// null for a store on this machine, whose clock is this machine's) and the start of the app's newest trace
/// (<see cref="Newest"/>, null when it has none).
/// </summary>
public sealed record TraceClock(DateTimeOffset? StoreNow, DateTimeOffset? Newest);
