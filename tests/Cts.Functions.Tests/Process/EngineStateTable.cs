using System.Globalization;
using Azure.Data.Tables;
using Cts.Functions.Engines;
using Cts.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cts.Functions.Tests.Processes;

/// <summary>One engine's persisted state as a test needs it: lifecycle, when it last changed, and the flushed run counters.</summary>
public sealed record EngineRow(
    string Id, string State, DateTimeOffset? Since, DateTimeOffset? RowUpdatedAt,
    long IndicationsRuns, long StrategiesRuns, long RealtimeRuns, long Failures)
{
    public long Runs => IndicationsRuns + StrategiesRuns + RealtimeRuns;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Id}: {State} since {Since:HH:mm:ss.fff}, row written {RowUpdatedAt:HH:mm:ss.fff}, runs i{IndicationsRuns}/s{StrategiesRuns}/r{RealtimeRuns}, failures {Failures}");
}

/// <summary>
/// Reads engine state rows straight from the host's <c>{prefix}grainstate</c> table, without going through the host:
/// reading an engine over HTTP would activate its grain, which is exactly what a recovery test must not do.
/// </summary>
public sealed class EngineStateTable(string connectionString, string prefix)
{
    private const string StateName = "engine";

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(EngineGrainState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private readonly TableClient _table = new TableServiceClient(connectionString)
        .GetTableClient(new CtsTables(new TableServiceClient(connectionString), prefix).NameOf(TableGrainStorage.TableName));

    /// <summary>The persisted rows of <paramref name="ids"/>, in that order; fails if one has no row.</summary>
    public async Task<IReadOnlyList<EngineRow>> ReadAsync(IEnumerable<string> ids)
    {
        var rows = new List<EngineRow>();
        foreach (var id in ids)
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(
                TableGrainStorage.PartitionKeyFor(StateName), TableGrainStorage.RowKeyFor(id)).ConfigureAwait(false);
            if (!response.HasValue || response.Value is null)
            {
                throw new InvalidOperationException($"No engine state row for '{id}' in {_table.Name}.");
            }
            rows.Add(ToRow(id, response.Value));
        }
        return rows;
    }

    private static EngineRow ToRow(string id, TableEntity entity)
    {
        var state = Serializer.Deserialize<EngineGrainState>(Data(entity))
            ?? throw new InvalidOperationException($"Row '{id}' holds no engine state.");
        long Runs(string kind) => state.Health.TryGetValue(kind, out var h) ? h.Runs : 0;
        var column = entity.GetString("State");
        if (column != state.State)
        {
            throw new InvalidOperationException($"Row '{id}': State column '{column}' differs from the serialized state '{state.State}'.");
        }
        return new EngineRow(id, state.State, state.Since, entity.GetDateTimeOffset("UpdatedAt"),
            Runs("indications"), Runs("strategies"), Runs("realtime"), state.Health.Values.Sum(h => h.Failures));
    }

    /// <summary>The serialized state: one <c>Data</c> column, or <c>Data1</c>..<c>DataN</c> chunks for a large one.</summary>
    private static byte[] Data(TableEntity entity)
    {
        if (entity.GetBinary("Data") is { } single)
        {
            return single;
        }
        using var buffer = new MemoryStream();
        for (var i = 1; entity.GetBinary("Data" + i.ToString(CultureInfo.InvariantCulture)) is { } chunk; i++)
        {
            buffer.Write(chunk);
        }
        return buffer.ToArray();
    }
}
