using Glidepath.Manifests;
using static Glidepath.Tests.Manifests.SectionKit;

namespace Glidepath.Tests.Manifests.Providers;

public sealed class ProvidersSectionTests
{
    [Fact]
    public void Parse_EverySetting_Read()
    {
        var (providers, errors) = Read("providers: { openai: { base_url: 'http://127.0.0.1:8080/v1', api_key_env: OPENAI_KEY, timeout: 30s, max_retries: 2, max_concurrency: 4 } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));

        Assert.Empty(errors);
        var openai = providers["openai"];
        Assert.Equal("http://127.0.0.1:8080/v1", openai.BaseUrl);
        Assert.Equal("OPENAI_KEY", openai.ApiKeyEnv);
        Assert.Equal(TimeSpan.FromSeconds(30), openai.Timeout);
        Assert.Equal(2, openai.MaxRetries);
        Assert.Equal(4, openai.MaxConcurrency);
    }

    [Fact]
    public void Parse_CallerBetas_AnthropicsBetaNamesOnly()
    {
        var (providers, errors) = Read("providers: { anthropic: { caller_betas: [context-1m-2025-08-07, files-api-2025-04-14] } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));
        var (_, bad) = Read("providers: { anthropic: { caller_betas: [ok-1, 'Not A Beta'] }, openai: { caller_betas: [x] } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));

        Assert.Empty(errors);
        Assert.Equal(["context-1m-2025-08-07", "files-api-2025-04-14"], providers["anthropic"].CallerBetas);
        Assert.Equal(2, bad.Count);
        Assert.Contains("caller_betas has 'Not A Beta'; expected a beta name", bad[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("caller_betas is Anthropic's (the anthropic-beta header); 'openai' takes none", bad[1].ToString(), StringComparison.Ordinal);
    }

    // A zero timeout made every call to the provider time out at once.
    [Fact]
    public void Parse_TimeoutZero_ReportedAtItsValue()
    {
        var (_, errors) = Read("providers: { openai: { timeout: 0s } }\n", (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));

        Assert.Equal("glidepath.yaml:1:33: timeout '0s' is zero; expected a duration above zero, e.g. 30m", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_EnvironmentOverrideWithUnknownProvider_NamesTheEnvironment()
    {
        var (providers, errors) = Read("providers: { gemini: { api_key_env: G } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "environments.staging.providers"));

        Assert.Equal("glidepath.yaml:1:14: unknown key 'gemini' in environments.staging.providers; expected one of: anthropic, openai, sim", Assert.Single(errors).ToString());
        Assert.Contains("gemini", providers.Keys);
    }

    [Fact]
    public void Parse_RelativeBaseUrl_Rejected()
    {
        var (_, errors) = Read("providers: { openai: { base_url: api/v1 } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));

        Assert.Equal("glidepath.yaml:1:34: base_url 'api/v1' is not an absolute URL; expected e.g. https://api.openai.com/v1", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Parse_BaseUrlWithUserAndPassword_RejectedAtItsLineWithoutThePassword()
    {
        var (_, errors) = Read("providers: { openai: { base_url: 'http://ubuser:UBPASS@127.0.0.1:18099/v1?api-key=QSECRET' } }\n",
            (r, m) => ProvidersSection.Parse(r, m.Children["providers"], "providers"));

        var error = Assert.Single(errors).ToString();
        Assert.StartsWith("glidepath.yaml:1:34: base_url 'http://127.0.0.1:18099/v1' carries a user name or password", error, StringComparison.Ordinal);
        Assert.Contains("api_key_env", error, StringComparison.Ordinal);
        Assert.DoesNotContain("UBPASS", error, StringComparison.Ordinal);
        Assert.DoesNotContain("QSECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoSection_IsEmpty()
    {
        var (providers, errors) = Read("app: x\n", (r, m) => ProvidersSection.Parse(r, null, "providers"));

        Assert.Empty(providers);
        Assert.Empty(errors);
    }
}
