using System.Text.Json.Nodes;
using Cts.Domain.Config;

namespace Cts.Domain.Tests.Config;

public sealed class JsonMergePatchTests
{
    /// <summary>Every example of RFC 7396, Appendix A: target, patch, result.</summary>
    public static TheoryData<string, string, string> Rfc7396Examples => new()
    {
        { """{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""" },
        { """{"a":"b"}""", """{"a":null}""", """{}""" },
        { """{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""" },
        { """{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""" },
        { """{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""" },
        { """{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""" },
        { """["a","b"]""", """["c","d"]""", """["c","d"]""" },
        { """{"a":"b"}""", """["c"]""", """["c"]""" },
        { """{"a":"foo"}""", "null", "null" },
        { """{"a":"foo"}""", "\"bar\"", "\"bar\"" },
        { """{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""" },
        { """[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""" },
        { "{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(Rfc7396Examples))]
    public void Applies_every_example_of_RFC_7396(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"got {result?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void Nested_objects_merge_member_by_member_and_arrays_replace_whole()
    {
        var target = JsonNode.Parse("""{"startRetry":{"maxAttempts":5,"baseDelaySeconds":2},"symbols":["BTCUSDT","ETHUSDT"]}""");
        var patch = JsonNode.Parse("""{"startRetry":{"maxAttempts":2},"symbols":["SOLUSDT"]}""");

        var result = JsonMergePatch.Apply(target, patch)!;

        Assert.Equal(2, result["startRetry"]!["maxAttempts"]!.GetValue<int>());
        Assert.Equal(2, result["startRetry"]!["baseDelaySeconds"]!.GetValue<int>());
        Assert.Equal(["SOLUSDT"], result["symbols"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public void Neither_the_target_nor_the_patch_is_changed()
    {
        var target = JsonNode.Parse("""{"a":{"b":1},"c":2}""");
        var patch = JsonNode.Parse("""{"a":{"b":null},"c":3,"d":{"e":4}}""");
        var targetText = target!.ToJsonString();
        var patchText = patch!.ToJsonString();

        var result = JsonMergePatch.Apply(target, patch)!;
        result["d"]!["e"] = 5;

        Assert.Equal(targetText, target.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }
}
