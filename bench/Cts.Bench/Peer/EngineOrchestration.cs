using DurableTask.Core;

namespace Cts.Bench.Peer;

/// <summary>
/// The CTS engine loop as the Durable Task Framework would run it: an eternal orchestration per engine whose every
/// episode waits on a durable timer for the cycle interval, runs one trivial activity (the cycle's work), and
/// continues as new. The timer is set from the orchestration's own clock at the start of the episode, like a grain
/// timer whose next tick is due one period after the previous cycle.
/// </summary>
public sealed class EngineOrchestration : TaskOrchestration<int, EngineOrchestration.Input>
{
    public sealed record Input(string EngineId, int PeriodMs);

    public override async Task<int> RunTask(OrchestrationContext context, Input input)
    {
        var due = context.CurrentUtcDateTime.AddMilliseconds(input.PeriodMs);
        await context.CreateTimer(due, true);
        await context.ScheduleTask<int>(typeof(CycleActivity), new CycleActivity.Input(input.EngineId, due));
        context.ContinueAsNew(input);
        return 0;
    }
}

/// <summary>
/// The cycle's work: trivial on purpose, so the peer is measured on its scheduling, not on our processors. It records
/// how late it started after its cycle was due, which is what CTS's cycle lag measures (a tick is due one period after
/// the previous cycle completed; lag is the cycle's start minus that).
/// </summary>
public sealed class CycleActivity : TaskActivity<CycleActivity.Input, int>
{
    public sealed record Input(string EngineId, DateTime Due);

    protected override int Execute(TaskContext context, Input input)
    {
        PeerProbe.CycleRan(DateTime.UtcNow - input.Due);
        return input.EngineId.Length;
    }
}
