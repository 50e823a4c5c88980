using System.Text.Json.Nodes;
using Glidepath.Files;
using Glidepath.Traces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Parses <c>glidepath.yaml</c> into a <see cref="Manifest"/> and validates all of it (keys, types,
/// files, globs, tools), reporting every problem at once as <c>file:line:col: what; expected</c>.
/// </summary>
public static class ManifestParser
{
    public const string FileName = "glidepath.yaml";

    private static readonly string[] TopKeys = ["app", "release", "providers", "prices", "eval", "environments", "rollout", "online", "capture"];
    private static readonly string[] Providers = ["anthropic", "openai", "sim"];

    /// <summary>Loads the manifest at <paramref name="path"/>, resolving files against its folder.</summary>
    public static Manifest Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ManifestException([new ManifestError(path, 0, 0, "no such file; expected a glidepath.yaml (run 'glidepath init' to create one)")]);
        }

        if (new FileInfo(full).Length > ManifestLimits.MaxBytes)
        {
            throw new ManifestException([new ManifestError(Path.GetFileName(full), 0, 0, $"the manifest is larger than {ManifestLimits.MaxBytes / 1024} KiB; expected a smaller file")]);
        }

        var dir = Path.GetDirectoryName(full)!;
        return Parse(File.ReadAllText(full), Path.GetFileName(full), new WorkingTreeFileSource(dir)) with { FilePath = full, BaseDirectory = dir };
    }

    /// <summary>Parses manifest text; files it names are checked in <paramref name="files"/>.</summary>
    public static Manifest Parse(string yaml, string fileName, IFileSource files)
    {
        var r = new YamlNodeReader(fileName);
        if (yaml.Length > ManifestLimits.MaxBytes)
        {
            r.Error(Mark.Empty, $"the manifest is larger than {ManifestLimits.MaxBytes / 1024} KiB; expected a smaller file");
            throw new ManifestException(r.Errors);
        }

        var stream = new YamlStream();
        var lastGood = Mark.Empty;
        try
        {
            // A first pass over the parser's events enforces the limits before any node is built, and
            // remembers where parsing last succeeded, because some scanner failures surface without a position.
            if (YamlGuard.Check(yaml, out lastGood) is { } tooMuch)
            {
                r.Error(tooMuch.Where, tooMuch.Message);
                throw new ManifestException(r.Errors);
            }

            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException as YamlException;
            r.Error(ex.Start.Line > 0 ? ex.Start : lastGood, $"{(inner ?? ex).Message.Trim()}; expected valid YAML");
            throw new ManifestException(r.Errors);
        }
        catch (InvalidOperationException)
        {
            r.Error(lastGood, "the YAML cannot be parsed after this point (an unclosed bracket or quote?); expected valid YAML");
            throw new ManifestException(r.Errors);
        }
        catch (ArgumentException)
        {
            // YamlDotNet's node loader refuses some event sequences its parser accepts (e.g. a line holding only ':').
            r.Error(Mark.Empty, "the YAML has a key or value the loader cannot place (a line holding only ':'?); expected valid YAML");
            throw new ManifestException(r.Errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            r.Error(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode, "the manifest must be a mapping; expected 'app:' and 'release:' at the top level");
            throw new ManifestException(r.Errors);
        }

        r.CheckKeys(root, "the manifest", TopKeys);
        var app = r.String(YamlNodeReader.Get(root, "app"), "app", required: true, parent: root);
        if (app is not null && !System.Text.RegularExpressions.Regex.IsMatch(app, "^[a-z0-9][a-z0-9_.-]{0,62}$"))
        {
            r.Error(YamlNodeReader.Get(root, "app"), $"app '{app}' is not a valid name; expected lower-case letters, digits, '.', '_' or '-'");
        }

        var releaseNode = YamlNodeReader.Get(root, "release");
        if (releaseNode is null)
        {
            r.Error(root, "missing 'release:' section; expected model, prompt, tools and files");
        }

        var release = ReleaseSection(r, r.Mapping(releaseNode, "release"), files);
        var providers = ProvidersSection(r, YamlNodeReader.Get(root, "providers"), "providers");
        var prices = PricesSection(r, YamlNodeReader.Get(root, "prices"));
        var eval = EvalSection(r, r.Mapping(YamlNodeReader.Get(root, "eval"), "eval"), files);
        var environments = EnvironmentsSection(r, r.Mapping(YamlNodeReader.Get(root, "environments"), "environments"));
        var rollout = RolloutSection(r, r.Mapping(YamlNodeReader.Get(root, "rollout"), "rollout"));
        var online = OnlineSection(r, r.Mapping(YamlNodeReader.Get(root, "online"), "online"), files);
        var capture = CaptureSection(r, r.Mapping(YamlNodeReader.Get(root, "capture"), "capture"));

        if (r.Errors.Count > 0 || app is null || release is null)
        {
            throw new ManifestException(r.Errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new Manifest
        {
            App = app,
            Release = release,
            Providers = providers,
            Prices = prices,
            Eval = eval,
            Environments = environments,
            Rollout = rollout,
            Online = online,
            Capture = capture,
        };
    }

    private static ReleaseSpec? ReleaseSection(YamlNodeReader r, YamlMappingNode? map, IFileSource files)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "release", ["model", "prompt", "tools", "files"]);
        var model = ModelSection(r, YamlNodeReader.Get(map, "model"), "release.model", map);

        var promptMap = r.Mapping(YamlNodeReader.Get(map, "prompt"), "release.prompt");
        if (promptMap is null && YamlNodeReader.Get(map, "prompt") is null)
        {
            r.Error(map, "missing 'prompt:' in release; expected { system: path/to/system.md }");
        }

        string? system = null;
        if (promptMap is not null)
        {
            r.CheckKeys(promptMap, "release.prompt", ["system"]);
            system = r.String(YamlNodeReader.Get(promptMap, "system"), "release.prompt.system", required: true, parent: promptMap);
            if (system is not null && !files.Exists(system))
            {
                r.Error(YamlNodeReader.Get(promptMap, "system"), $"prompt file '{system}' does not exist; expected a path relative to the manifest");
            }
        }

        var toolsNode = YamlNodeReader.Get(map, "tools");
        var tools = r.StringList(toolsNode, "release.tools");
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < tools.Count; i++)
        {
            var itemNode = (toolsNode as YamlSequenceNode)?.Children[i] ?? toolsNode;
            if (!files.Exists(tools[i]))
            {
                r.Error(itemNode, $"tool file '{tools[i]}' does not exist; expected a JSON tool definition relative to the manifest");
                continue;
            }

            var errors = new List<ManifestError>();
            var def = ToolDefinition.TryParse(files.ReadAllBytes(tools[i]), tools[i], errors);
            foreach (var e in errors)
            {
                r.Add(e);
            }

            if (errors.Count > 0)
            {
                r.Error(itemNode, $"tool file '{tools[i]}' is not a valid tool definition (see above); expected {{\"name\", \"description\", \"input_schema\"}}");
            }

            if (def is not null && !names.TryAdd(def.Name, tools[i]))
            {
                r.Error(itemNode, $"duplicate tool name '{def.Name}' (also in '{names[def.Name]}'); expected every tool name once");
            }
        }

        var filesNode = YamlNodeReader.Get(map, "files");
        var globs = r.StringList(filesNode, "release.files");
        for (var i = 0; i < globs.Count; i++)
        {
            if (FileGlob.Expand(files, globs[i]).Count == 0)
            {
                r.Error((filesNode as YamlSequenceNode)?.Children[i] ?? filesNode, $"'{globs[i]}' matches no file; expected a path or glob of existing files");
            }
        }

        return model is null || system is null ? null : new ReleaseSpec { Model = model, Prompt = new PromptSpec { System = system }, Tools = tools, Files = globs };
    }

    internal static ModelSpec? ModelSection(YamlNodeReader r, YamlNode? node, string where, YamlNode parent)
    {
        if (node is null)
        {
            r.Error(parent, $"missing 'model:' in {where[..where.LastIndexOf('.')]}; expected {{ provider, name }}");
            return null;
        }

        var map = r.Mapping(node, where);
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, where, ["provider", "name", "parameters", "options"]);
        var provider = r.String(YamlNodeReader.Get(map, "provider"), $"{where}.provider", required: true, parent: map);
        if (provider is not null && !Providers.Contains(provider))
        {
            r.Error(YamlNodeReader.Get(map, "provider"), $"unknown provider '{provider}'; expected one of: {string.Join(", ", Providers)}");
        }

        var name = r.String(YamlNodeReader.Get(map, "name"), $"{where}.name", required: true, parent: map);
        var parameters = new ModelParameters();
        if (r.Mapping(YamlNodeReader.Get(map, "parameters"), $"{where}.parameters") is { } p)
        {
            r.CheckKeys(p, $"{where}.parameters", ModelParameters.KnownKeys.ToArray());
            var stopNode = YamlNodeReader.Get(p, "stop");
            parameters = new ModelParameters
            {
                Temperature = r.Double(YamlNodeReader.Get(p, "temperature"), "temperature", 0, 2),
                MaxTokens = r.Int(YamlNodeReader.Get(p, "max_tokens"), "max_tokens", 1, 1_000_000),
                TopP = r.Double(YamlNodeReader.Get(p, "top_p"), "top_p", 0, 1),
                TopK = r.Int(YamlNodeReader.Get(p, "top_k"), "top_k", 1, 100_000),
                Seed = r.Long(YamlNodeReader.Get(p, "seed"), "seed"),
                Stop = stopNode is YamlScalarNode ? [r.String(stopNode, "stop")!] : stopNode is null ? null : r.StringList(stopNode, "stop"),
            };
        }

        var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (r.Mapping(YamlNodeReader.Get(map, "options"), $"{where}.options") is { } o)
        {
            foreach (var (key, value) in r.Entries(o, $"{where}.options"))
            {
                options[key] = r.Json(value, $"{where}.options.{key}");
            }
        }

        return provider is null || name is null ? null : new ModelSpec { Provider = provider, Name = name, Parameters = parameters, Options = options };
    }

    private static Dictionary<string, ProviderSettings> ProvidersSection(YamlNodeReader r, YamlNode? node, string where)
    {
        var result = new Dictionary<string, ProviderSettings>(StringComparer.Ordinal);
        if (r.Mapping(node, where) is not { } map)
        {
            return result;
        }

        r.CheckKeys(map, where, Providers);
        foreach (var (name, v) in r.Entries(map, where, reportOthers: false))
        {
            if (r.Mapping(v, $"{where}.{name}") is not { } pm)
            {
                continue;
            }

            r.CheckKeys(pm, $"{where}.{name}", ProviderSettings.KnownKeys.ToArray());
            var baseUrl = r.String(YamlNodeReader.Get(pm, "base_url"), "base_url");
            if (baseUrl is not null && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
            {
                r.Error(YamlNodeReader.Get(pm, "base_url"), $"base_url '{baseUrl}' is not an absolute URL; expected e.g. https://api.openai.com/v1");
            }

            var keyEnv = r.String(YamlNodeReader.Get(pm, "api_key_env"), "api_key_env");
            if (keyEnv is not null && !System.Text.RegularExpressions.Regex.IsMatch(keyEnv, "^[A-Za-z_][A-Za-z0-9_]*$"))
            {
                r.Error(YamlNodeReader.Get(pm, "api_key_env"), "api_key_env must name an environment variable (letters, digits, '_'); never put a key itself in the manifest");
            }

            result[name] = new ProviderSettings
            {
                BaseUrl = baseUrl,
                ApiKeyEnv = keyEnv,
                Timeout = r.Duration(YamlNodeReader.Get(pm, "timeout"), "timeout"),
                MaxRetries = r.Int(YamlNodeReader.Get(pm, "max_retries"), "max_retries", 0, 20),
                MaxConcurrency = r.Int(YamlNodeReader.Get(pm, "max_concurrency"), "max_concurrency", 1, 10_000),
            };
        }

        return result;
    }

    private static Dictionary<string, ModelPrice> PricesSection(YamlNodeReader r, YamlNode? node)
    {
        var result = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        if (r.Mapping(node, "prices") is not { } map)
        {
            return result;
        }

        foreach (var (model, v) in r.Entries(map, "prices"))
        {
            if (r.Mapping(v, $"prices.{model}") is not { } pm)
            {
                continue;
            }

            r.CheckKeys(pm, $"prices.{model}", ["input", "output"]);
            var input = r.Double(YamlNodeReader.Get(pm, "input"), "input", 0);
            var output = r.Double(YamlNodeReader.Get(pm, "output"), "output", 0);
            if (YamlNodeReader.Get(pm, "input") is null || YamlNodeReader.Get(pm, "output") is null)
            {
                r.Error(pm, $"prices.{model} needs both input and output; expected USD per million tokens, e.g. {{ input: 3.0, output: 15.0 }}");
            }

            result[model] = new ModelPrice(input ?? 0, output ?? 0);
        }

        return result;
    }

    private static EvalConfig? EvalSection(YamlNodeReader r, YamlMappingNode? map, IFileSource files)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "eval", ["dataset", "trials", "concurrency", "scorers", "gate"]);
        var dataset = r.String(YamlNodeReader.Get(map, "dataset"), "eval.dataset", required: true, parent: map);
        if (dataset is not null && !files.Exists(dataset))
        {
            r.Error(YamlNodeReader.Get(map, "dataset"), $"dataset '{dataset}' does not exist; expected a JSON Lines file relative to the manifest");
        }

        var scorers = ScorerList(r, YamlNodeReader.Get(map, "scorers"), "eval.scorers", files, online: false);
        var gate = new GateConfig();
        if (r.Mapping(YamlNodeReader.Get(map, "gate"), "eval.gate") is { } g)
        {
            r.CheckKeys(g, "eval.gate", ["baseline", "max_case_regressions", "max_mean_drop", "confidence"]);
            gate = new GateConfig
            {
                Baseline = r.String(YamlNodeReader.Get(g, "baseline"), "eval.gate.baseline") ?? gate.Baseline,
                MaxCaseRegressions = r.Int(YamlNodeReader.Get(g, "max_case_regressions"), "max_case_regressions", 0) ?? 0,
                MaxMeanDrop = r.Double(YamlNodeReader.Get(g, "max_mean_drop"), "max_mean_drop", 0, 1) ?? 0,
                Confidence = r.Double(YamlNodeReader.Get(g, "confidence"), "confidence", 0.5, 0.9999) ?? 0.95,
            };
        }

        return dataset is null ? null : new EvalConfig
        {
            Dataset = dataset,
            Trials = r.Int(YamlNodeReader.Get(map, "trials"), "eval.trials", 1, 1000) ?? 1,
            Concurrency = r.Int(YamlNodeReader.Get(map, "concurrency"), "eval.concurrency", 1, 4096),
            Scorers = scorers,
            Gate = gate,
        };
    }

    private static List<ScorerSpec> ScorerList(YamlNodeReader r, YamlNode? node, string where, IFileSource files, bool online)
    {
        var result = new List<ScorerSpec>();
        if (YamlNodeReader.IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            r.Error(node, $"{where} must be a list; expected - {{ type: contains }} entries");
            return result;
        }

        foreach (var item in seq.Children)
        {
            if (r.Mapping(item, $"an item of {where}") is not { } m)
            {
                continue;
            }

            var type = r.String(YamlNodeReader.Get(m, "type"), $"{where}[].type", required: true, parent: m);
            if (type is null)
            {
                continue;
            }

            if (!ScorerCatalog.Options.TryGetValue(type, out var known))
            {
                r.Error(YamlNodeReader.Get(m, "type"), $"unknown scorer type '{type}'; expected one of: {string.Join(", ", ScorerCatalog.Options.Keys)}");
                continue;
            }

            if (online && ScorerCatalog.NeedsReference.Contains(type))
            {
                r.Error(YamlNodeReader.Get(m, "type"), $"scorer '{type}' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online");
            }

            r.CheckKeys(m, $"scorer '{type}'", ["type", .. known]);
            var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (key, v) in r.Entries(m, $"scorer '{type}'", reportOthers: false))
            {
                if (key != "type")
                {
                    options[key] = r.Json(v, $"scorer '{type}'.{key}");
                }
            }

            foreach (var fileKey in new[] { "rubric", "schema" })
            {
                if (options.TryGetValue(fileKey, out var f) && f is JsonValue fv && fv.TryGetValue<string>(out var path) && !files.Exists(path))
                {
                    r.Error(YamlNodeReader.Get(m, fileKey), $"{fileKey} file '{path}' does not exist; expected a path relative to the manifest");
                }
            }

            if (type == "llm_judge")
            {
                if (YamlNodeReader.Get(m, "rubric") is null)
                {
                    r.Error(m, "llm_judge needs 'rubric:'; expected a path to a rubric file");
                }

                if (YamlNodeReader.Get(m, "model") is { } judgeModel)
                {
                    ModelSection(r, judgeModel, $"scorer 'llm_judge'.model", m);
                }
                else
                {
                    r.Error(m, "llm_judge needs 'model:'; expected { provider, name } of the judge model");
                }

                r.Double(YamlNodeReader.Get(m, "pass"), "pass", 0, 1);
            }

            if (type == "regex" && options.TryGetValue("pattern", out var pat) && pat is JsonValue pv && pv.TryGetValue<string>(out var pattern))
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern);
                }
                catch (ArgumentException ex)
                {
                    r.Error(YamlNodeReader.Get(m, "pattern"), $"pattern is not a valid regular expression ({ex.Message}); expected a .NET regex");
                }
            }

            result.Add(new ScorerSpec { Type = type, Options = options, Location = $"{r.FileName}:{item.Start.Line}:{item.Start.Column}" });
        }

        return result;
    }

    private static List<EnvironmentSpec> EnvironmentsSection(YamlNodeReader r, YamlMappingNode? map)
    {
        var result = new List<EnvironmentSpec>();
        if (map is null)
        {
            return result;
        }

        var declared = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: var name } || name is null)
            {
                r.Error(k, $"a key in environments is a {YamlNodeReader.Describe(k)}; expected a plain environment name such as staging");
                continue;
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9_-]{0,31}$"))
            {
                r.Error(k, $"environment name '{name}' is not valid; expected lower-case letters, digits, '_' or '-'");
            }

            var em = YamlNodeReader.IsNull(v) ? new YamlMappingNode() : r.Mapping(v, $"environments.{name}");
            if (em is null)
            {
                continue;
            }

            r.CheckKeys(em, $"environments.{name}", ["providers", "vars", "requires", "owner"]);
            var vars = new Dictionary<string, string>(StringComparer.Ordinal);
            if (r.Mapping(YamlNodeReader.Get(em, "vars"), $"environments.{name}.vars") is { } vm)
            {
                foreach (var (varName, vv) in r.Entries(vm, $"environments.{name}.vars"))
                {
                    var value = r.String(vv, $"var '{varName}'");
                    if (value is not null)
                    {
                        vars[varName] = value;
                    }
                }
            }

            var requiresNode = YamlNodeReader.Get(em, "requires");
            var requires = r.StringList(requiresNode, $"environments.{name}.requires");
            foreach (var req in requires)
            {
                if (!declared.Contains(req) || req == name)
                {
                    r.Error(requiresNode, $"environments.{name}.requires names '{req}', which is {(req == name ? "itself" : "not declared")}; expected one of the other environments: {string.Join(", ", declared.Where(d => d != name))}");
                }
            }

            var owner = r.String(YamlNodeReader.Get(em, "owner"), $"environments.{name}.owner");
            if (requires.Count > 0 && string.IsNullOrWhiteSpace(owner))
            {
                r.Error(k, $"environment '{name}' has a promotion path (requires) but no owner; expected 'owner:' naming who owns the rollback decision there");
            }

            result.Add(new EnvironmentSpec
            {
                Name = name,
                Providers = ProvidersSection(r, YamlNodeReader.Get(em, "providers"), $"environments.{name}.providers"),
                Vars = vars,
                Requires = requires,
                Owner = owner,
            });
        }

        DetectCycles(r, map, result);
        return result;
    }

    private static void DetectCycles(YamlNodeReader r, YamlMappingNode map, List<EnvironmentSpec> envs)
    {
        var byName = envs.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var env in envs)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(env.Requires);
            while (stack.Count > 0)
            {
                var next = stack.Pop();
                if (next == env.Name)
                {
                    r.Error(map, $"environment '{env.Name}' requires itself through its promotion path; expected a path without cycles");
                    break;
                }

                if (seen.Add(next) && byName.TryGetValue(next, out var e))
                {
                    foreach (var req in e.Requires)
                    {
                        stack.Push(req);
                    }
                }
            }
        }
    }

    private static RolloutPlan? RolloutSection(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "rollout", ["steps", "step", "metrics", "confidence", "on_inconclusive"]);
        var plan = new RolloutPlan();
        var stepsNode = YamlNodeReader.Get(map, "steps");
        var steps = new List<double>();
        if (stepsNode is YamlSequenceNode seq)
        {
            double last = 0;
            foreach (var item in seq.Children)
            {
                if (r.Double(item, "a rollout step", 0.01, 100) is { } w)
                {
                    if (w <= last)
                    {
                        r.Error(item, $"rollout step {w} is not above the previous step {last}; expected increasing percentages ending at 100");
                    }

                    steps.Add(w);
                    last = w;
                }
            }

            if (steps.Count > 0 && steps[^1] != 100)
            {
                r.Error(stepsNode, "the last rollout step must be 100; expected e.g. [1, 5, 25, 50, 100]");
            }
        }
        else if (stepsNode is not null)
        {
            r.Error(stepsNode, "rollout.steps must be a list; expected e.g. [1, 5, 25, 50, 100]");
        }

        int? minRequests = null;
        int? minSubjects = null;
        TimeSpan? maxDuration = null;
        if (r.Mapping(YamlNodeReader.Get(map, "step"), "rollout.step") is { } sm)
        {
            r.CheckKeys(sm, "rollout.step", ["min_requests", "min_subjects", "max_duration"]);
            minRequests = r.Int(YamlNodeReader.Get(sm, "min_requests"), "min_requests", 1);
            minSubjects = r.Int(YamlNodeReader.Get(sm, "min_subjects"), "min_subjects", 2, SubjectGroups.Count / 2);
            maxDuration = r.Duration(YamlNodeReader.Get(sm, "max_duration"), "max_duration");
        }

        var metrics = new Dictionary<string, MetricTolerance>(StringComparer.Ordinal);
        if (r.Mapping(YamlNodeReader.Get(map, "metrics"), "rollout.metrics") is { } mm)
        {
            r.CheckKeys(mm, "rollout.metrics", RolloutPlan.KnownMetrics.ToArray());
            foreach (var (metric, v) in r.Entries(mm, "rollout.metrics", reportOthers: false))
            {
                if (r.Mapping(v, $"rollout.metrics.{metric}") is not { } tm)
                {
                    continue;
                }

                string[] allowed = metric switch
                {
                    "error_rate" or "latency_p95" or "latency_p99" => ["max_increase"],
                    "latency" or "cost_per_call" => ["max_ratio"],
                    _ => ["max_drop"],
                };
                r.CheckKeys(tm, $"rollout.metrics.{metric}", allowed);
                metrics[metric] = new MetricTolerance
                {
                    MaxIncrease = r.Double(YamlNodeReader.Get(tm, "max_increase"), "max_increase", 0, 1),
                    MaxDrop = r.Double(YamlNodeReader.Get(tm, "max_drop"), "max_drop", 0, 1),
                    MaxRatio = r.Double(YamlNodeReader.Get(tm, "max_ratio"), "max_ratio", 1, 100),
                };
            }
        }

        var onInconclusive = r.String(YamlNodeReader.Get(map, "on_inconclusive"), "on_inconclusive");
        if (onInconclusive is not null and not ("hold" or "rollback"))
        {
            r.Error(YamlNodeReader.Get(map, "on_inconclusive"), $"on_inconclusive '{onInconclusive}' is not known; expected hold or rollback");
        }

        return plan with
        {
            Steps = steps.Count > 0 ? steps : plan.Steps,
            MinRequests = minRequests ?? plan.MinRequests,
            MinSubjects = minSubjects ?? plan.MinSubjects,
            MaxDuration = maxDuration ?? plan.MaxDuration,
            Metrics = metrics,
            Confidence = r.Double(YamlNodeReader.Get(map, "confidence"), "rollout.confidence", 0.5, 0.9999) ?? plan.Confidence,
            OnInconclusive = onInconclusive ?? plan.OnInconclusive,
        };
    }

    private static OnlineConfig? OnlineSection(YamlNodeReader r, YamlMappingNode? map, IFileSource files)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "online", ["sample_rate", "scorers"]);
        return new OnlineConfig
        {
            SampleRate = r.Double(YamlNodeReader.Get(map, "sample_rate"), "online.sample_rate", 0, 1) ?? 0,
            Scorers = ScorerList(r, YamlNodeReader.Get(map, "scorers"), "online.scorers", files, online: true),
        };
    }

    private static CaptureConfig CaptureSection(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return new CaptureConfig();
        }

        r.CheckKeys(map, "capture", ["content", "redact"]);
        var content = r.String(YamlNodeReader.Get(map, "content"), "capture.content") ?? "none";
        if (!CaptureConfig.ContentModes.Contains(content))
        {
            r.Error(YamlNodeReader.Get(map, "content"), $"capture.content '{content}' is not known; expected one of: {string.Join(", ", CaptureConfig.ContentModes)}");
        }

        var redactNode = YamlNodeReader.Get(map, "redact");
        var redact = r.StringList(redactNode, "capture.redact");
        foreach (var item in redact.Where(x => !CaptureConfig.Redactors.Contains(x)))
        {
            r.Error(redactNode, $"unknown redactor '{item}'; expected any of: {string.Join(", ", CaptureConfig.Redactors)}");
        }

        return new CaptureConfig { Content = content, Redact = redact };
    }
}
