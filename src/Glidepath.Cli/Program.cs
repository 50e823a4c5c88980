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

return await CliApp.RunAsync(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected, cancel.Token);
