using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads the manifest's <c>environments:</c> section: names, provider overrides, vars, and a promotion path
/// (<c>requires</c>) that names other declared environments, has no cycle, and comes with an owner.
/// </summary>
internal static class EnvironmentsSection
{
    public static List<EnvironmentSpec> Parse(YamlNodeReader r, YamlMappingNode? map)
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

            if (!Regex.IsMatch(name, "^[a-z0-9][a-z0-9_-]{0,31}\\z"))
            {
                r.Error(k, $"environment name '{name}' is not valid; expected 1 to 32 characters: lower-case letters, digits, '_' or '-', starting with a letter or digit");
            }

            var em = YamlNodeReader.IsNull(v) ? new YamlMappingNode() : r.Mapping(v, $"environments.{name}");
            if (em is not null)
            {
                result.Add(ParseEnvironment(r, k, em, name, declared));
            }
        }

        DetectCycles(r, map, result);
        return result;
    }

    private static EnvironmentSpec ParseEnvironment(YamlNodeReader r, YamlNode k, YamlMappingNode em, string name, HashSet<string> declared)
    {
        r.CheckKeys(em, $"environments.{name}", ["providers", "vars", "request_vars", "routing_headers", "requires", "owner"]);
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var varLines = new Dictionary<string, int>(StringComparer.Ordinal);
        if (r.Mapping(YamlNodeReader.Get(em, "vars"), $"environments.{name}.vars") is { } vm)
        {
            // The key's line, which a warning about the key names (the value may sit on the next line).
            var keyLines = vm.Children.Keys.OfType<YamlScalarNode>().GroupBy(k => k.Value ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => (int)g.Last().Start.Line, StringComparer.Ordinal);
            foreach (var (varName, vv) in r.Entries(vm, $"environments.{name}.vars"))
            {
                var value = r.String(vv, $"var '{varName}'");
                if (value is not null)
                {
                    vars[varName] = value;
                    varLines[varName] = keyLines.TryGetValue(varName, out var line) ? line : (int)vv.Start.Line;
                }
            }
        }

        var requestVarsNode = YamlNodeReader.Get(em, "request_vars");
        var requestVars = r.StringList(requestVarsNode, $"environments.{name}.request_vars");
        foreach (var requestVar in requestVars)
        {
            if (!Regex.IsMatch(requestVar, "^[A-Za-z_][A-Za-z0-9_]{0,63}\\z"))
            {
                r.Error(requestVarsNode, $"environments.{name}.request_vars names '{requestVar}', which is not a template variable name; expected letters, digits and '_' (e.g. customer_tier)");
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

        return new EnvironmentSpec
        {
            Name = name,
            Providers = ProvidersSection.Parse(r, YamlNodeReader.Get(em, "providers"), $"environments.{name}.providers"),
            Vars = vars,
            VarLines = varLines,
            RequestVars = requestVars,
            RoutingHeaders = r.Bool(YamlNodeReader.Get(em, "routing_headers"), $"environments.{name}.routing_headers") ?? false,
            Requires = requires,
            Owner = owner,
        };
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
}
