using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Cts.Functions.Config;

/// <summary>
/// Entity tags of configuration resources and the preconditions on them (RFC 9110 §8.8.3, §13.1). Storage hands out
/// weak-form tags (Azure Tables: <c>W/"datetime'…'"</c>) that change on every write of a row, and a resource's JSON is
/// a function of its row, so the API shows them as strong tags (<c>"datetime'…'"</c>): <c>If-Match</c> compares
/// strongly, as RFC 9110 requires, and still matches what the client read.
/// </summary>
public static class EntityTags
{
    /// <summary>The tag of a representation that nothing stored backs yet: the settings before their first write, the built-in default preset.</summary>
    public const string Unstored = "\"defaults\"";

    /// <summary>The strong tag clients see for a stored ETag, or <see cref="Unstored"/> when nothing is stored.</summary>
    public static string Strong(string? stored)
    {
        if (stored is null)
        {
            return Unstored;
        }
        var tag = stored.StartsWith("W/", StringComparison.Ordinal) ? stored[2..] : stored;
        return tag.StartsWith('"') ? tag : $"\"{tag}\"";
    }

    /// <summary>
    /// Whether a write may go ahead under <c>If-Match</c>: no header, <c>*</c> (the resource exists — callers answer 404
    /// first when it does not), or a list with a tag that strongly matches the current one. A weak tag never matches; a
    /// malformed header matches nothing.
    /// </summary>
    public static bool IfMatchAllows(string? header, string? stored)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return true;
        }
        if (!EntityTagHeaderValue.TryParseStrictList(new StringValues(header), out var tags))
        {
            return false;
        }
        var current = new EntityTagHeaderValue(Strong(stored));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: true));
    }

    /// <summary>
    /// Whether a GET may answer 304 under <c>If-None-Match</c>: <c>*</c>, or a list with a tag that weakly matches
    /// <paramref name="current"/> (the tag as sent, strong or weak).
    /// </summary>
    public static bool IfNoneMatchHits(string? header, string current)
    {
        if (string.IsNullOrWhiteSpace(header) || !EntityTagHeaderValue.TryParseStrictList(new StringValues(header), out var tags))
        {
            return false;
        }
        var tag = EntityTagHeaderValue.TryParse(current, out var parsed) ? parsed : new EntityTagHeaderValue($"\"{current.Trim('"')}\"");
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
    }
}
