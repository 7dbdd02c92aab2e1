using Cts.Domain.Backtesting;
using Cts.Domain.Config;

namespace Cts.Functions.Backtests;

/// <summary>Where a backtest stands.</summary>
public static class BacktestStatus
{
    public const string Queued = "queued", Running = "running", Completed = "completed", Failed = "failed", Canceled = "canceled";

    public static bool IsActive(string status) => status is Queued or Running;
}

/// <summary>What a backtest was asked to run, resolved when it was created (a later preset change does not alter it).</summary>
public sealed record BacktestSpec(
    string Id,
    Preset Preset,
    IReadOnlyList<string> Symbols,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal StartingBalance,
    decimal FeeRate,
    decimal SlippageBps,
    string DataSource,
    ulong Seed);

/// <summary>
/// The stored document of one backtest (one row of <c>{prefix}backtests</c>), written by its grain only: the request,
/// status, progress (0–1), the simulated time reached, how many times it resumed after a restart, and once completed the
/// report's figures (the equity curve and trade list are stored apart: blob and table).
/// </summary>
public sealed record BacktestRecord
{
    public required string Id { get; init; }
    public required BacktestSpec Spec { get; init; }
    public string Status { get; init; } = BacktestStatus.Queued;
    public double Progress { get; init; }
    public DateTimeOffset? SimulatedTime { get; init; }
    public int Trades { get; init; }
    public int Resumes { get; init; }
    public DateTimeOffset? ResumedFrom { get; init; }
    public long TicksRun { get; init; }
    public long TicksSkipped { get; init; }
    public string? Error { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The report without its equity curve and trade list.</summary>
    public BacktestReport? Summary { get; init; }
}
