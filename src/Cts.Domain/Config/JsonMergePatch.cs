using System.Text.Json.Nodes;

namespace Cts.Domain.Config;

/// <summary>
/// JSON Merge Patch (RFC 7396): a patch object's members replace the target's, <c>null</c> removes a member, objects
/// merge recursively, and anything that is not an object (arrays included) replaces the target as a whole.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="target"/>; neither input is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var merged = Apply(result[name], value);
                result[name] = merged;
            }
        }
        return result;
    }
}
