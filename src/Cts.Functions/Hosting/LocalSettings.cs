using System.Text.Json;

namespace Cts.Functions.Hosting;

/// <summary>
/// Azure Functions conventions for configuration: <c>host.json</c> for host defaults and a git-ignored
/// <c>local.settings.json</c> whose <c>Values</c> use <c>__</c> as the section separator. Environment variables and
/// the command line still win over both.
/// </summary>
public static class LocalSettings
{
    public const string HostFile = "host.json";
    public const string LocalSettingsFile = "local.settings.json";

    public static WebApplicationBuilder AddFunctionsConfiguration(this WebApplicationBuilder builder)
    {
        var root = FindProjectRoot(builder.Environment.ContentRootPath);
        var sources = builder.Configuration.Sources;
        var hostJson = Path.Combine(root ?? AppContext.BaseDirectory, HostFile);
        if (!File.Exists(hostJson))
        {
            hostJson = Path.Combine(AppContext.BaseDirectory, HostFile);
        }
        // Inserted first, so appsettings, environment variables and the command line override them.
        var index = 0;
        if (File.Exists(hostJson))
        {
            builder.Configuration.AddJsonFile(hostJson, optional: true, reloadOnChange: false);
            var added = sources[^1];
            sources.RemoveAt(sources.Count - 1);
            sources.Insert(index++, added);
        }
        var localSettings = root is null ? null : Path.Combine(root, LocalSettingsFile);
        if (localSettings is not null && File.Exists(localSettings))
        {
            builder.Configuration.AddInMemoryCollection(ReadValues(localSettings));
            var added = sources[^1];
            sources.RemoveAt(sources.Count - 1);
            sources.Insert(index, added);
        }
        return builder;
    }

    /// <summary>The <c>Values</c> of a local.settings.json file as configuration keys (<c>A__B</c> → <c>A:B</c>).</summary>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }
        return values;
    }

    /// <summary>The nearest folder, from the content root upwards, that holds host.json (the repository root when run from source).</summary>
    private static string? FindProjectRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, HostFile)) && File.Exists(Path.Combine(dir.FullName, "Cts.Functions.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory() is var cwd && File.Exists(Path.Combine(cwd, HostFile)) ? cwd : null;
    }
}
