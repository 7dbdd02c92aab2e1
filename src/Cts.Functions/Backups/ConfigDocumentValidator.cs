using Cts.Domain.Config;
using Cts.Domain.Connections;

namespace Cts.Functions.Backups;

/// <summary>
/// Validates a whole configuration document (an import body or a backup being restored) item by item with the
/// resources' own validators — the ones create, PUT and PATCH use — so an import can write nothing that the API
/// would refuse. Errors are keyed by item and field: <c>connections[2].exchange</c>, <c>presets[0].name</c>,
/// <c>settings.retentionDays</c>.
/// </summary>
public static class ConfigDocumentValidator
{
    /// <param name="storedPresetIds">The presets already stored; a connection may name one of them, one of the document's, or the built-in default.</param>
    public static IReadOnlyDictionary<string, string[]> Validate(ConfigSnapshot document, IEnumerable<string> storedPresetIds)
    {
        var errors = new FieldErrors();
        if (document.Format != ConfigSnapshot.CurrentFormat)
        {
            errors.Add("format", $"must be {ConfigSnapshot.CurrentFormat}");
        }
        var presets = document.Presets ?? [];
        var known = new HashSet<string>(storedPresetIds, StringComparer.Ordinal) { Preset.DefaultId };
        for (var i = 0; i < presets.Count; i++)
        {
            var preset = presets[i];
            if (preset is null)
            {
                errors.Add($"presets[{i}]", "must be an object");
                continue;
            }
            errors.Merge($"presets[{i}].", PresetValidator.Validate(preset));
            if (presets.Take(i).Any(p => p?.Id == preset.Id))
            {
                errors.Add($"presets[{i}].id", "is a duplicate");
            }
            if (preset.Id is not null)
            {
                known.Add(preset.Id);
            }
        }
        var connections = document.Connections ?? [];
        for (var i = 0; i < connections.Count; i++)
        {
            var connection = connections[i];
            if (connection is null)
            {
                errors.Add($"connections[{i}]", "must be an object");
                continue;
            }
            errors.Merge($"connections[{i}].", ConnectionValidator.ValidateStored(connection, known.Contains));
            if (connections.Take(i).Any(c => c?.Id == connection.Id))
            {
                errors.Add($"connections[{i}].id", "is a duplicate");
            }
        }
        if (document.Settings is { } settings)
        {
            errors.Merge("settings.", SettingsValidator.Validate(settings));
        }
        return errors.ToDictionary();
    }
}
