namespace Glidepath.Cli.Demo;

internal sealed partial class DemoRunner
{
    private Task StepTrafficAndDrillAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task StepRolloutAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task StepCanaryCatchesRegressionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task StepChecklistAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
