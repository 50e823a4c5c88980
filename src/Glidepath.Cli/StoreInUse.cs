using Glidepath.Storage;

namespace Glidepath.Cli;

/// <summary>
/// The store a command opened, for its failure message (<see cref="CliFailure"/>): where it is, how its driver's errors
/// read, and whether the command opened it to write (<see cref="CliContext.StoreAsync"/>) or only to read.
/// </summary>
internal sealed record StoreInUse(IStoreFailures Store, bool Writes);
