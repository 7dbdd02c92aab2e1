using Azure.Data.Tables;
using Cts.Domain.Trading;

namespace Cts.Functions.Storage;

/// <summary>Reads positions from the trading table for the API (the engines write them through their journals).</summary>
public sealed class PositionStore(CtsTables tables)
{
    /// <summary>One position of a connection, open or closed; null when there is none with that id.</summary>
    public async Task<Position?> GetAsync(string connectionId, string positionId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(connectionId, TradingEntities.PositionPrefix + positionId,
            cancellationToken: cancellationToken);
        return found.HasValue && found.Value is { } entity ? TradingEntities.ToPosition(entity) : null;
    }

    /// <summary>Positions, newest first, for one connection or all, optionally only open or closed ones.</summary>
    public async Task<IReadOnlyList<Position>> QueryAsync(string? connectionId, PositionStatus? status, int top,
        CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TradingEntities.TableName, cancellationToken);
        var filters = new List<string> { TradingEntities.PrefixFilter(TradingEntities.PositionPrefix) };
        if (connectionId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {connectionId}"));
        }
        if (status is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }
        var positions = new List<Position>();
        await foreach (var entity in table.QueryAsync<TableEntity>(string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            positions.Add(TradingEntities.ToPosition(entity));
        }
        return positions.OrderByDescending(p => p.ClosedAt ?? p.OpenedAt).ThenBy(p => p.Id, StringComparer.Ordinal).Take(top).ToList();
    }
}
