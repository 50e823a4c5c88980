using Glidepath.Environments;
using Glidepath.Manifests;

namespace Glidepath.Tests.Environments;

/// <summary>Small builders for environment tests.</summary>
internal static class EnvironmentTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    public static EnvironmentEvent Event(long revision, string kind, string? from, string? to) => new()
    {
        App = "app",
        Environment = "production",
        Revision = revision,
        Kind = kind,
        Actor = "ana",
        Time = T0.AddMinutes(revision),
        FromReleaseId = from,
        ToReleaseId = to,
    };

    public static Manifest Manifest(params EnvironmentSpec[] environments) => new()
    {
        App = "app",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-1" }, Prompt = new PromptSpec { System = "p.md" } },
        Providers = new Dictionary<string, ProviderSettings>
        {
            ["openai"] = new() { BaseUrl = "https://api.openai.com/v1", ApiKeyEnv = "OPENAI_API_KEY", Timeout = TimeSpan.FromSeconds(30) },
        },
        Environments = environments,
    };

    public static EnvironmentSpec Staging => new() { Name = "staging" };

    public static EnvironmentSpec Production => new() { Name = "production", Requires = ["staging"], Owner = "oncall" };
}
