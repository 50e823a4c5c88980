using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath model try</c>: one call of a release's model through the full pipeline.</summary>
internal static class ModelCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("model", "Call the model a release uses, through the same pipeline evals and the gateway use.");
        command.Add(Try(env));
        return command;
    }

    private static Command Try(CliEnvironment env)
    {
        var message = new Option<string>("--message", "-m") { Description = "The user message to send", Required = true };
        var reference = new Argument<string?>("REF") { Description = "The release: v7, a hash prefix, env:NAME, git:REV or working (default: working), as eval run and gate take it", DefaultValueFactory = _ => null };
        var release = new Option<string?>("--release") { Description = "The release, as REF (kept for scripts written before REF)" };
        var environment = new Option<string?>("--env") { Description = "Environment whose vars and provider settings apply (default: vars of the first environment, for a quick look; eval run and gate use none unless given --env)" };
        var vars = new Option<string[]>("--var") { Description = "A prompt variable NAME=VALUE (repeatable; overrides the environment's vars; a NAME no template of the release uses is exit 2)", AllowMultipleArgumentsPerToken = false };
        var stream = new Option<bool>("--stream") { Description = "Stream the answer as it is generated" };
        var command = new Command("try", """
            Send one message to the release's model and print the answer, tool calls, tokens, cost and latency.
            The release's system prompt is rendered with the environment's vars (and --var), its parameters
            and tools applied; retries, timeouts and telemetry are those of evals and the gateway. The
            response cache is not used. With provider: sim no key or network is needed.

            Examples:
              glidepath model try --message "How long do I have to return an item?"
              glidepath model try v3 -m "Where is order NW-48213?" --env staging --stream
              glidepath model try -m "hi" --var customer_tier=gold --format json
            """)
        {
            reference,
            message,
            release,
            environment,
            vars,
            stream,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var text = parse.GetValue(message)!;
            if (string.IsNullOrWhiteSpace(text))
            {
                // Providers reject an empty user message with a 400; say so here, before any call.
                throw new BadInputException("--message is empty; expected the user message to send (e.g. -m \"How long do I have to return an item?\")");
            }

            var manifest = ctx.Manifest;
            var store = await ctx.StoreAsync(ct);
            var resolved = await ctx.ReleaseResolver(store).ResolveAsync(Ref(parse.GetValue(reference), parse.GetValue(release)) ?? "working", register: false, ct);
            var snapshot = resolved.Snapshot();
            var envName = parse.GetValue(environment);
            var varOptions = parse.GetValue(vars) ?? [];
            var (promptVars, varsFrom) = PromptVars.Resolve(manifest, envName, varOptions, firstByDefault: true);
            Releases.ReleaseNames.Of(resolved).CheckVarOptions(PromptVars.Names(varOptions));
            if (varsFrom is not null && PromptTemplate.Variables(snapshot.SystemPrompt).Count > 0)
            {
                ctx.Output.Note($"prompt vars from environment '{varsFrom}' (choose with --env or --var)");
            }

            var p = snapshot.Model.Parameters;
            if (snapshot.Model.Provider == "anthropic" && (p.Temperature is not null || p.TopP is not null || p.TopK is not null))
            {
                ctx.Output.Note("note: Anthropic models released after Claude Opus 4.6 reject temperature other than 1, top_p below 0.99 and any top_k with a 400 (docs/providers.md)");
            }

            var (messages, options) = ReleaseConversation.Prepare(snapshot, promptVars, [new ChatMessage(ChatRole.User, text)]);
            var settings = ProviderSettingsResolver.Resolve(manifest, snapshot.Model.Provider, envName);
            var factory = ctx.Env.ModelClients?.Invoke(manifest, store) ?? new ModelClientFactory(ctx.Time, PriceTable.For(manifest), store.ResponseCache);
            try
            {
                var client = factory.Create(snapshot.Model, settings, new ModelClientOptions { Environment = envName });
                var started = ctx.Time.GetTimestamp();
                TimeSpan? firstToken = null;
                ChatResponse response;
                if (parse.GetValue(stream))
                {
                    var updates = new List<ChatResponseUpdate>();
                    await foreach (var update in client.GetStreamingResponseAsync(messages, options, ct))
                    {
                        if (firstToken is null && update.Text.Length > 0)
                        {
                            firstToken = ctx.Time.GetElapsedTime(started);
                        }

                        updates.Add(update);
                        if (!ctx.Output.IsJson && update.Text.Length > 0)
                        {
                            await ctx.Output.Stdout.WriteAsync(update.Text);
                            await ctx.Output.Stdout.FlushAsync(ct);
                        }
                    }

                    if (!ctx.Output.IsJson)
                    {
                        await ctx.Output.Stdout.WriteLineAsync();
                    }

                    response = updates.ToChatResponse();
                    foreach (var props in updates.Select(u => u.AdditionalProperties).OfType<AdditionalPropertiesDictionary>())
                    {
                        foreach (var (k, v) in props)
                        {
                            (response.AdditionalProperties ??= [])[k] = v;
                        }
                    }
                }
                else
                {
                    response = await client.GetResponseAsync(messages, options, ct);
                }

                var latency = ctx.Time.GetElapsedTime(started);
                Print(ctx, resolved, snapshot.Model, response, latency, firstToken, printAnswer: !parse.GetValue(stream));
                return ExitCodes.Ok;
            }
            finally
            {
                (factory as IDisposable)?.Dispose();
            }
        });
        return command;
    }

    /// <summary>
    /// The release asked for: REF, as <c>eval run</c>, <c>gate</c> and <c>checklist</c> take it, or <c>--release</c> (newcomer
    /// trial L14: <c>model try -m hi v4</c> was "Unrecognized command or argument 'v4'"); both, when they differ, is bad input.
    /// </summary>
    private static string? Ref(string? positional, string? option) =>
        positional is not null && option is not null && positional != option
            ? throw new BadInputException($"model try: REF '{positional}' and --release '{option}' name two releases; give one of them")
            : positional ?? option;

    private static void Print(CliContext ctx, Releases.Release release, ModelSpec model, ChatResponse response, TimeSpan latency, TimeSpan? firstToken, bool printAnswer)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var cost = ModelResponseProperties.CostOf(response.AdditionalProperties);
        var input = response.Usage?.InputTokenCount;
        var output = response.Usage?.OutputTokenCount;
        var releaseName = release.Version == 0 ? "working" : release.Name;
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(new
            {
                release = new { name = releaseName, id = release.Id },
                model = new { provider = model.Provider, name = model.Name },
                answer = response.Text,
                tool_calls = calls.Select(t => new { name = t.Name, call_id = t.CallId, arguments = t.Arguments }),
                finish_reason = response.FinishReason?.Value,
                usage = new { input_tokens = input, output_tokens = output },
                cost_usd = cost,
                latency_ms = Math.Round(latency.TotalMilliseconds, 1),
                first_token_ms = firstToken is { } ft ? Math.Round(ft.TotalMilliseconds, 1) : (double?)null,
            });
            return;
        }

        if (printAnswer)
        {
            ctx.Output.Line(response.Text);
        }

        foreach (var call in calls)
        {
            var args = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>());
            ctx.Output.Line($"→ tool call {call.Name}({args})", $"[yellow]→ tool call[/] [bold]{Spectre.Console.Markup.Escape(call.Name)}[/]({Spectre.Console.Markup.Escape(args)})");
        }

        var tokens = $"{Count(input)} in / {Count(output)} out";
        var usd = cost is { } value ? "$" + value.ToString("0.######", CultureInfo.InvariantCulture) : "unknown (no price for " + model.Name + ")";
        var timing = $"{latency.TotalMilliseconds:0} ms" + (firstToken is { } f ? $" (first token {f.TotalMilliseconds:0} ms)" : "");
        ctx.Output.Line();
        ctx.Output.Line($"{releaseName} {release.ShortId} · {model.Provider}/{model.Name} · finish {response.FinishReason?.Value ?? "-"}");
        ctx.Output.Line($"tokens {tokens} · cost {usd} · latency {timing}");
    }

    private static string Count(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
