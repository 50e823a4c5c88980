using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Sim;

/// <summary>
/// The sim's instruction follower, pure and deterministic: it ranks the system prompt's lines against
/// the user's message (TF-IDF), answers from the best one (and a close runner-up), calls a declared tool
/// when that line says to and the message carries the tool's arguments, and reports tool results.
/// Temperature perturbs the ranking with seeded Gumbel noise, so a hot model sometimes picks a worse line.
/// </summary>
internal static partial class SimEngine
{
    /// <summary>Below this similarity no line applies: the sim says so rather than invent a policy.</summary>
    private const double MinScore = 0.12;

    /// <summary>A runner-up at least this close to the best line is mentioned too.</summary>
    private const double RunnerUpRatio = 0.75;

    /// <summary>Added to a line whose tool the message can fill an identifier for.</summary>
    private const double ToolArgumentBoost = 0.12;

    private static readonly string[] Openers = ["", "Sure. ", "Happy to help. ", "Thanks for asking. ", "Good question. "];
    private static readonly string[] ProblemWords = ["upset", "wrong", "broke", "broken", "damaged", "unacceptable", "angry", "frustrated", "disappointed", "terrible", "never arrived", "missing"];

    public static SimAnswer Answer(IReadOnlyList<ChatMessage> messages, ChatOptions? options, SimOptions sim, int trialIndex, bool offPolicy, Random faultRandom)
    {
        var system = string.Join("\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var lastUser = messages.LastOrDefault(m => m.Role == ChatRole.User);
        var question = lastUser?.Text ?? "";
        var afterUser = lastUser is null ? messages : messages.SkipWhile(m => !ReferenceEquals(m, lastUser)).Skip(1).ToList();
        var results = afterUser.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).ToList();
        var calls = afterUser.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
        var tools = (options?.Tools ?? []).OfType<AIFunctionDeclaration>().ToDictionary(t => t.Name, StringComparer.Ordinal);

        var temperature = options?.Temperature ?? 0f;
        var random = temperature > 0
            ? SimRandom.From("content", sim.Seed, trialIndex, Transcript(messages))
            : SimRandom.From("content", Transcript(messages));

        var prompt = SimPromptModel.For(system);
        var lines = prompt.Lines;
        var candidates = prompt.Candidates;
        var text = new StringBuilder();
        var toolCalls = new List<FunctionCallContent>();

        var identity = prompt.Identity;
        if (question.Length == 0 || SimText.Tokens(question).Count == 0)
        {
            text.Append("Hello! How can I help you today?");
        }
        else if (identity is not null && IdentityQuestion().IsMatch(question) && !offPolicy)
        {
            text.Append("I'm ").Append(identity).Append(". How can I help you today?");
        }
        else if (candidates.Count == 0)
        {
            text.Append("I'm sorry, I don't have guidance on that. I can connect you with a specialist if you'd like.");
        }
        else
        {
            var scores = prompt.Ranker!.Score(SimText.QueryTokens(question));
            BoostToolLines(scores, candidates, tools, question);
            var order = Rank(scores, temperature, random);
            var best = order[0];

            if (offPolicy)
            {
                // Injected quality fault: answer from an unrelated line, or hedge.
                var wrong = order[^1];
                text.Append(faultRandom.NextDouble() < 0.5 ? "I'm not sure, but " + Lower(Rephrase(candidates[wrong].Body)) : Rephrase(candidates[wrong].Body));
            }
            else if (scores[best] < MinScore)
            {
                text.Append("I'm sorry, I don't have guidance on that in our policies. I can connect you with a specialist if you'd like.");
            }
            else
            {
                if (NeedsApology(question, lines))
                {
                    text.Append("I apologise for the trouble. ");
                }
                else if (results.Count == 0)
                {
                    text.Append(Openers[random.Next(Openers.Length)]);
                }

                var line = candidates[best];
                var tool = NamedTool(line.Body, tools);
                if (tool is not null && results.Count > 0)
                {
                    text.Append("Here is what I found: ").Append(Summarise(results)).Append(' ');
                    AppendSentence(text, Rephrase(line.Body));
                }
                else if (tool is not null)
                {
                    var (args, missing) = SimToolArguments.Fill(tool.JsonSchema, question);
                    if (args is null)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"Could you tell me {missing}? Then I can take care of it. ");
                        AppendSentence(text, Rephrase(line.Body));
                    }
                    else
                    {
                        var id = args.Values.OfType<string>().FirstOrDefault(v => Identifier().IsMatch(v));
                        text.Append(id is null ? "Let me take care of that for you. " : $"Let me take care of that for you ({id}). ");
                        AppendSentence(text, Rephrase(line.Body));
                        var callId = "call_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Transcript(messages) + tool.Name)))[..16];
                        toolCalls.Add(new FunctionCallContent(callId, tool.Name, args));
                    }
                }
                else
                {
                    AppendSentence(text, Rephrase(line.Body));
                }

                if (order.Length > 1 && toolCalls.Count == 0 && results.Count == 0)
                {
                    var second = order[1];
                    if (scores[second] >= MinScore && scores[second] >= RunnerUpRatio * scores[best] && NamedTool(candidates[second].Body, tools) is null)
                    {
                        text.Append(' ');
                        AppendSentence(text, Rephrase(candidates[second].Body));
                    }
                }
            }
        }

        var answer = Whitespace().Replace(text.ToString(), " ").Trim();
        var finish = toolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop;
        foreach (var stop in options?.StopSequences ?? [])
        {
            var at = stop.Length == 0 ? -1 : answer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                answer = answer[..at];
                toolCalls.Clear();
                finish = ChatFinishReason.Stop;
            }
        }

        var outputTokens = EstimateTokens(answer) + toolCalls.Sum(c => 8 + EstimateTokens(ToolArguments.ToJson(c.Arguments)));
        if (options?.MaxOutputTokens is { } max && outputTokens > max)
        {
            answer = answer[..Math.Min(answer.Length, Math.Max(0, max * 4))];
            toolCalls.Clear();
            outputTokens = Math.Min(EstimateTokens(answer), max);
            finish = ChatFinishReason.Length;
        }

        var inputTokens = messages.Sum(m => 4 + EstimateTokens(string.Join(" ", m.Contents.Select(ContentText))))
            + tools.Values.Sum(t => 10 + EstimateTokens(t.Name + t.Description + t.JsonSchema.GetRawText()));
        return new SimAnswer(answer, toolCalls, inputTokens, outputTokens, finish);
    }

    /// <summary>About four characters a token, as for English with real tokenizers.</summary>
    public static int EstimateTokens(string text) => text.Length == 0 ? 0 : Math.Max(1, (text.Length + 3) / 4);

    /// <summary>Line indexes best first; above zero temperature each score gets seeded Gumbel noise.</summary>
    private static int[] Rank(double[] scores, float temperature, Random random)
    {
        var max = scores.Max();
        var keyed = scores.Select((s, i) =>
        {
            var noise = temperature > 0 ? temperature * 0.25 * SimRandom.Gumbel(random) : 0;
            return (Index: i, Key: (max > 0 ? s / max : 0) + noise, Raw: s);
        });
        return [.. keyed.OrderByDescending(k => k.Raw > 0 ? k.Key : double.MinValue).ThenBy(k => k.Index).Select(k => k.Index)];
    }

    /// <summary>
    /// A line that names a tool whose required arguments the message supplies (an order number, say)
    /// is a better match than its words alone suggest: "where is NW-48213?" is an order-status question.
    /// </summary>
    private static void BoostToolLines(double[] scores, IReadOnlyList<SimPolicyLine> lines, Dictionary<string, AIFunctionDeclaration> tools, string question)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (scores[i] > 0 && NamedTool(lines[i].Body, tools) is { } tool && SimToolArguments.HasIdentifier(tool.JsonSchema, question))
            {
                scores[i] += ToolArgumentBoost;
            }
        }
    }

    private static AIFunctionDeclaration? NamedTool(string body, Dictionary<string, AIFunctionDeclaration> tools)
    {
        foreach (var (name, tool) in tools)
        {
            if (SimText.ContainsWord(body, name))
            {
                return tool;
            }
        }

        return null;
    }

    private static bool NeedsApology(string question, IReadOnlyList<SimPolicyLine> lines) =>
        lines.Any(l => l.Body.Contains("apologi", StringComparison.OrdinalIgnoreCase)) &&
        ProblemWords.Any(w => question.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Turns an instruction into what to tell the customer: drops "call the X tool" clauses (the call
    /// itself is the action), keeps what the line says to say, and speaks to "you", not "the customer".
    /// </summary>
    internal static string Rephrase(string body)
    {
        var kept = new List<string>();
        foreach (var clause in body.Split(';'))
        {
            var c = clause.Trim();
            if (ToolCall().IsMatch(c))
            {
                var say = Say().Match(c);
                if (say.Success)
                {
                    kept.Add(say.Groups[1].Value.Trim());
                }

                continue;
            }

            kept.Add(c);
        }

        var text = string.Join("; ", kept.Where(k => k.Length > 0)).Trim().TrimEnd('.', ';', ',').Trim();
        if (text.Length == 0)
        {
            return "";
        }

        text = text.Replace("the customer pays", "you pay", StringComparison.OrdinalIgnoreCase)
            .Replace("the customer", "you", StringComparison.OrdinalIgnoreCase);
        if (text.StartsWith("never ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("always ", StringComparison.OrdinalIgnoreCase))
        {
            text = "we " + text;
        }

        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    private static void AppendSentence(StringBuilder sb, string sentence)
    {
        if (sentence.Length > 0)
        {
            sb.Append(sentence).Append(' ');
        }
    }

    private static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    private static string Summarise(IReadOnlyList<FunctionResultContent> results)
    {
        var parts = new List<string>();
        foreach (var r in results)
        {
            var json = r.Result switch
            {
                null => "",
                string s => s,
                JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText(),
                _ => JsonSerializer.Serialize(r.Result, AIJsonUtilities.DefaultOptions),
            };
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parts.Add(string.Join(", ", doc.RootElement.EnumerateObject().Select(p => $"{p.Name.Replace('_', ' ')}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}")));
                    continue;
                }
            }
            catch (JsonException)
            {
                // plain text result
            }

            parts.Add(json.Length > 300 ? json[..300] + "…" : json);
        }

        return string.Join("; ", parts) + ".";
    }

    private static string ContentText(AIContent c) => c switch
    {
        TextContent t => t.Text,
        FunctionCallContent f => f.Name + (f.Arguments is null ? "null" : ToolArguments.ToJson(f.Arguments)),
        FunctionResultContent r => r.Result?.ToString() ?? "",
        _ => "",
    };

    private static string Transcript(IReadOnlyList<ChatMessage> messages) =>
        string.Join("\n", messages.Select(m => m.Role.Value + ":" + string.Join(" ", m.Contents.Select(ContentText))));

    [GeneratedRegex(@"\b(?:call|use|invoke|run)\s+the\s+[A-Za-z0-9_-]+\s+tool\b", RegexOptions.IgnoreCase)]
    private static partial Regex ToolCall();

    [GeneratedRegex(@"\bsay\s+(?:that\s+)?(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Say();

    [GeneratedRegex(@"\b(?:are you (?:a |an )?(?:real|human|person|bot|robot|ai|machine)|who are you|what are you)\b", RegexOptions.IgnoreCase)]
    private static partial Regex IdentityQuestion();

    [GeneratedRegex(@"[0-9]")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
