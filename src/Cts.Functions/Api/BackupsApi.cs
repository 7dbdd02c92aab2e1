using Cts.Functions.Api.OpenApi;
using Cts.Functions.Backups;
using Cts.Functions.Config;
using Cts.Functions.Retention;
using Cts.Functions.Security;

namespace Cts.Functions.Api;

/// <summary>
/// Configuration export, import, backups and restore, and the history archive. Admin only: exports and backups carry
/// the (encrypted) credentials.
/// </summary>
public static class BackupsApi
{
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var config = app.MapGroup("/api/config").WithTags("Backups");
        config.MapGet("/export", Export).RequireAdmin()
            .WithName("exportConfig").WithSummary("Export every connection (credentials still encrypted), preset and the settings")
            .Produces<ConfigSnapshot>();
        config.MapPost("/import", Import).RequireAdmin()
            .WithName("importConfig").WithSummary("Import an exported document, whole or not at all (dryRun reports only)")
            .Accepts<ConfigSnapshot>("application/json")
            .Produces<ImportReport>()
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem();
        config.MapGet("/backups", List).RequireAdmin()
            .WithName("listBackups").WithSummary("The configuration snapshots kept, newest first")
            .Produces<BackupList>();
        config.MapPost("/backups/{name}/restore", Restore).RequireAdmin()
            .WithName("restoreBackup").WithSummary("Restore a snapshot, whole or not at all (dryRun reports only)")
            .Produces<ImportReport>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).ProducesValidationProblem();

        var archive = app.MapGroup("/api/archive").WithTags("Archive");
        archive.MapGet("/", ListArchive).RequireAdmin()
            .WithName("listArchive").WithSummary("The archive files written by the retention job")
            .Produces<ArchiveList>();
        archive.MapGet("/{kind}/{name}", ReadArchive).RequireAdmin()
            .WithName("readArchive").WithSummary("One archive file as JSON lines")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem();
        return app;
    }

    public static async Task<IResult> Export(ConfigSnapshotter snapshotter, CancellationToken cancellationToken) =>
        TypedResults.Ok(await snapshotter.CaptureAsync("export", cancellationToken));

    public static async Task<IResult> Import(HttpContext context, ConfigImporter importer, bool? dryRun)
    {
        var (document, error) = await RequestBody.ReadAsync<ConfigSnapshot>(context.Request, required: true);
        if (error is not null)
        {
            return error;
        }
        return Outcome(await importer.ApplyAsync(document!, ConfigSource.Import(), dryRun ?? false, Caller(context), context.RequestAborted));
    }

    public static async Task<IResult> List(BackupStore backups, CancellationToken cancellationToken)
    {
        var items = await backups.ListAsync(cancellationToken);
        return TypedResults.Ok(new BackupList(items, items.Count));
    }

    public static async Task<IResult> Restore(HttpContext context, string name, BackupStore backups, ConfigImporter importer, bool? dryRun)
    {
        if (!BackupStore.IsValidName(name))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["name"] = [$"must match {BackupStore.NamePattern()}"] });
        }
        var content = await backups.ReadRawAsync(name, context.RequestAborted);
        if (content is null)
        {
            return Problems.NotFound("Backup", name);
        }
        // A backup is read as strictly as an import body: one written before validation was strict may hold what it now refuses.
        var (document, errors) = StrictJson.Parse(content.ToMemory());
        using (document)
        {
            var (snapshot, invalid) = document is null ? (null, errors) : StrictJson.Bind<ConfigSnapshot>(document.RootElement);
            if (invalid is not null)
            {
                return Problems.Invalid(invalid.ToDictionary());
            }
            return Outcome(await importer.ApplyAsync(snapshot!, ConfigSource.Restore(name), dryRun ?? false, Caller(context), context.RequestAborted));
        }
    }

    public static async Task<IResult> ListArchive(ArchiveStore archive, CancellationToken cancellationToken)
    {
        var items = await archive.ListAsync(cancellationToken);
        return TypedResults.Ok(new ArchiveList(items, items.Count));
    }

    public static async Task<IResult> ReadArchive(string kind, string name, ArchiveStore archive, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ArchiveStore.IsValidKind(kind)) errors["kind"] = [$"must be one of {string.Join(", ", ArchiveStore.Kinds)}"];
        if (!ArchiveStore.IsValidName(name)) errors["name"] = ["must look like yyyy-MM-dd-HHmmss.jsonl.gz"];
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var lines = await archive.ReadAsync(kind, name, cancellationToken);
        return lines is null ? Problems.NotFound("Archive", $"{kind}/{name}") : Results.Text(lines, "application/x-ndjson");
    }

    private static Caller Caller(HttpContext http) => new(ApiCaller.Actor(http), ApiCaller.CorrelationId(http));

    private static IResult Outcome(ConfigResult<ImportReport> result) => result.Value is not { } report
        ? Problems.Invalid(result.Errors!.ToDictionary())
        : report is { DryRun: false, BlockedBy.Count: > 0 }
        ? Problems.Conflict("Engines are active",
            $"The connections of active engines would change: {string.Join(", ", report.BlockedBy)}. Stop them first, or import without them.",
            new Dictionary<string, object?> { ["engines"] = report.BlockedBy, ["items"] = report.Items })
        : TypedResults.Ok(report);
}

public sealed record BackupList(IReadOnlyList<BackupInfo> Items, int Count);

public sealed record ArchiveList(IReadOnlyList<ArchiveInfo> Items, int Count);
