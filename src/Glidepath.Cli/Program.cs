using Glidepath.Cli;

// serve, controller and dashboard run with tiered PGO on: on Linux this re-executes the process with it (PgoRestart).
PgoRestart.RestartIfLongRunning(args);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C asks commands to stop cleanly (work already persisted stays); a second one kills.
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};

// SIGTERM (docker stop, systemd, Kubernetes) likewise: the first asks for a clean stop, however long the command needs to
// finish what is in flight (serve writes its queued traces, controller gives up its lease); a second one kills.
// System.CommandLine's own handler is off (CliApp): it forced an exit with 143 two seconds after the signal.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    if (!cancel.IsCancellationRequested)
    {
        signal.Cancel = true;
        cancel.Cancel();
    }
});

return await CliApp.RunAsync(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected, cancel.Token);
