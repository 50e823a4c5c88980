namespace Glidepath.Gateway.Tests.Wire.Generated;

/// <summary>Valid requests of each wire format, covering every field the gateway reads: the seeds the mutations start from.</summary>
internal static class ValidBodies
{
    /// <summary>A 1×1 PNG.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    public static readonly string[] OpenAi = WithPng(
    [
        """{"model":"support-agent","messages":[{"role":"user","content":"Can I return shoes after 45 days?"}]}""",
        """
        {"model":"support-agent@staging","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[{"type":"text","text":"Where is order NW-48213?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":\"NW-48213\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"shipped"}],
         "temperature":0.3,"top_p":0.9,"max_tokens":50,"seed":7,"stop":["END"],"user":"alice","n":1,
         "tools":[{"type":"function","function":{"name":"lookup","description":"Look up an order","parameters":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}}],
         "tool_choice":"auto","stream":false}
        """,
        """
        {"model":"support-agent","stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":40,
         "messages":[{"role":"developer","content":"Answer in English."},{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,@PNG@"}}]}],
         "tools":[{"type":"function","function":{"name":"escalate","parameters":{"type":"object","properties":{}}}}],
         "tool_choice":{"type":"function","function":{"name":"escalate"}},"stop":"STOP"}
        """,
    ]);

    public static readonly string[] Anthropic = WithPng(
    [
        """{"model":"support-agent","max_tokens":100,"messages":[{"role":"user","content":"Can I return shoes after 45 days?"}]}""",
        """
        {"model":"support-agent@staging","max_tokens":64,"system":"Be brief.","temperature":0.5,"top_k":5,"top_p":0.9,"stop_sequences":["END"],
         "metadata":{"user_id":"alice"},
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Where is order NW-48213?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"@PNG@"}}]},
          {"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"id":"NW-48213"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"shipped"}]}]}],
         "tools":[{"name":"lookup","description":"Look up an order","input_schema":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}}],
         "tool_choice":{"type":"tool","name":"lookup"}}
        """,
        """
        {"model":"support-agent","max_tokens":32,"stream":true,"system":[{"type":"text","text":"Answer in English."}],
         "messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/b.jpg"}},{"type":"text","text":"What is this?"}]},
                     {"role":"assistant","content":"It is"},{"role":"user","content":"go on"}],
         "tools":[{"name":"escalate","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}}
        """,
    ]);

    private static string[] WithPng(string[] bodies) => [.. bodies.Select(b => b.Replace("@PNG@", Png, StringComparison.Ordinal))];
}
