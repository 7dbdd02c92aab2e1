using Cts.Domain.Audit;
using Cts.Domain.Engines;
using Cts.Domain.Exchanges;
using Cts.Domain.Trading;

namespace Cts.Functions.Engines;

/// <summary>
/// An operator's forced entry (SPEC §4 <c>POST /api/engines/{id}/positions</c>): allowed while Running or Paused,
/// within <c>maxOpenPositions</c> and the balance, through the same intent journal and executor as a strategy's entry;
/// the preset's exit rules then manage the position like any other. Runs as one grain turn, so it never overlaps a cycle.
/// </summary>
public sealed partial class EngineGrain
{
    private const string ForceEntryAction = "force-entry";

    public async Task<ForceEntryResult> ForceEnter(ForceEntryCommand command)
    {
        await CompletePendingRecoveryAsync();
        var from = Current;
        var positionId = ClientOrderId.ForOperatorEntry(ConnectionId, command.Symbol, command.RequestKey);
        if (from is not (EngineState.Running or EngineState.Paused) || Context is not { } context)
        {
            return await RefuseEntryAsync(ForceEntryOutcome.NotAllowed, $"cannot force an entry on an engine that is {from}");
        }
        if (!context.Symbols.Contains(command.Symbol, StringComparer.Ordinal))
        {
            return await RefuseEntryAsync(ForceEntryOutcome.UnknownSymbol,
                $"the engine trades {string.Join(", ", context.Symbols)}; restart it to trade the connection's current symbols");
        }
        var trader = context.Trader;
        if (trader.Book.HasUsed(positionId))
        {
            return new ForceEntryResult(ForceEntryOutcome.AlreadyMade, BuildStatus(), positionId, Viewed(trader.Book.Find(positionId)),
                "this request was already made");
        }
        var gate = EntryGate.CanForceOpen(trader.Book.Exposure, trader.Risk, context.CanPersist && CanPersistNow());
        if (!gate.Allowed)
        {
            return await RefuseEntryAsync(gate.Refusal == EntryRefusal.MaxOpenPositions ? ForceEntryOutcome.Full : ForceEntryOutcome.Unavailable,
                gate.Reason);
        }

        var amount = command.QuoteAmount ?? trader.Risk.PositionSizeQuote;
        OperatorEntry entry;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.CycleTimeoutSeconds));
            entry = await trader.Orders.OpenForOperatorAsync(command.Symbol, command.RequestKey, amount, timeout.Token);
        }
        catch (EntrySkippedException)
        {
            // The node's trading lane stayed full (a trade wave): storage never saw the intent, and is not down.
            return await RefuseEntryAsync(ForceEntryOutcome.Unavailable,
                "storage is busy with other orders and did not take the intent in time; nothing was sent", AuditOutcomes.Failed);
        }
        catch (JournalUnavailableException e)
        {
            EnterDegraded(e);
            return await RefuseEntryAsync(ForceEntryOutcome.Unavailable, "the trade journal cannot be reached; nothing was sent", AuditOutcomes.Failed);
        }
        catch (Exception e) when (e is ExchangeException or OperationCanceledException)
        {
            // If the order went out, its intent is pending and the next cycle settles it with the venue (same id).
            return await RefuseEntryAsync(ForceEntryOutcome.Unavailable, $"the exchange did not answer: {e.Message}", AuditOutcomes.Failed);
        }

        var outcome = entry.Outcome switch
        {
            OperatorEntryOutcome.Opened => ForceEntryOutcome.Opened,
            OperatorEntryOutcome.AlreadyMade => ForceEntryOutcome.AlreadyMade,
            OperatorEntryOutcome.InsufficientBalance => ForceEntryOutcome.InsufficientBalance,
            _ => ForceEntryOutcome.Rejected,
        };
        if (outcome == ForceEntryOutcome.Opened)
        {
            await RecordAsync(command.Actor, ForceEntryAction, from, Described(), AuditOutcomes.Changed, command.CorrelationId);
            PublishStatus();
            return new ForceEntryResult(outcome, BuildStatus(), positionId, Viewed(entry.Position));
        }
        return await RefuseEntryAsync(outcome, entry.Reason ?? "not opened",
            outcome == ForceEntryOutcome.Rejected ? AuditOutcomes.Failed : AuditOutcomes.Refused, Viewed(entry.Position));

        async Task<ForceEntryResult> RefuseEntryAsync(ForceEntryOutcome refusal, string detail, string auditOutcome = AuditOutcomes.Refused,
            PositionView? position = null)
        {
            await RecordAsync(command.Actor, ForceEntryAction, from, $"{Described()}: {detail}", auditOutcome, command.CorrelationId);
            return new ForceEntryResult(refusal, BuildStatus(), positionId, position, detail);
        }

        string Described() => $"{command.Symbol} for {command.QuoteAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the preset's size"}"
            + (command.Reason is { Length: > 0 } reason ? $" ({reason})" : "");
    }

    private static PositionView? Viewed(Position? position) => position is null ? null : PositionView.From(position);
}
