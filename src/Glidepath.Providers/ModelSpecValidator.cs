using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Sim;

namespace Glidepath.Providers;

/// <summary>The providers' own option parsing, run at registration time (the same code the model client factory runs at serve time).</summary>
public sealed class ModelSpecValidator : IModelSpecValidator
{
    public static readonly ModelSpecValidator Instance = new();

    public void Validate(ModelSpec model)
    {
        switch (model.Provider)
        {
            case ProviderNames.Sim:
                _ = SimOptions.Parse(model);
                break;
            case ProviderNames.Anthropic or ProviderNames.OpenAI:
                break;
            default:
                throw new BadInputException($"unknown model provider '{model.Provider}'; expected anthropic, openai or sim");
        }
    }
}
