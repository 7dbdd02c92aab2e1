using Cts.Domain.Engines;
using static Cts.Domain.Engines.EngineState;

namespace Cts.Domain.Tests.Engines;

/// <summary>
/// The engine state machine checked against SPEC §3. The expected tables below are written out by hand from the
/// spec, not derived from <see cref="EngineLifecycle"/>, so a change to either shows up here.
/// </summary>
public sealed class EngineLifecycleTests
{
    private static readonly EngineState[] StartPath = [Initializing, Running];
    private static readonly EngineState[] StopPath = [Stopping, Stopped];
    private static readonly EngineState[] RestartPath = [Stopping, Stopped, Initializing, Running];

    /// <summary>SPEC §3 action table: (action, allowed from, kind, path). Pairs not listed are Refused.</summary>
    private static readonly (EngineAction Action, EngineState[] From, DecisionKind Kind, EngineState[] Path)[] SpecActionRows =
    [
        (EngineAction.Enable, [Idle], DecisionKind.Transition, [Enabled]),
        (EngineAction.Disable, [Enabled, Stopped, Error], DecisionKind.Transition, [Idle]),
        (EngineAction.Start, [Enabled, Stopped, Error], DecisionKind.Transition, StartPath),
        (EngineAction.Start, [Initializing, Running], DecisionKind.NoOp, []),
        (EngineAction.Pause, [Running], DecisionKind.Transition, [Paused]),
        (EngineAction.Resume, [Paused], DecisionKind.Transition, [Running]),
        (EngineAction.Stop, [Initializing, Running, Paused, Error], DecisionKind.Transition, StopPath),
        (EngineAction.Stop, [Enabled, Stopped], DecisionKind.NoOp, []),
        (EngineAction.Restart, [Running, Paused, Error], DecisionKind.Transition, RestartPath),
        (EngineAction.Delete, [Idle, Enabled, Stopped], DecisionKind.Transition, [Idle]),
    ];

    private static (DecisionKind Kind, EngineState[] Path) Expected(EngineState from, EngineAction action)
    {
        var rows = SpecActionRows.Where(r => r.Action == action && r.From.Contains(from)).ToArray();
        Assert.True(rows.Length <= 1, $"the expected table lists ({from}, {action}) more than once");
        return rows.Length == 1 ? (rows[0].Kind, rows[0].Path) : (DecisionKind.Refused, []);
    }

    private static readonly EngineState[] AllStates =
        [Idle, Enabled, Initializing, Running, Paused, Stopping, Stopped, Error];

    private static readonly EngineAction[] AllActions =
    [
        EngineAction.Enable, EngineAction.Disable, EngineAction.Start, EngineAction.Pause,
        EngineAction.Resume, EngineAction.Stop, EngineAction.Restart, EngineAction.Delete,
    ];

    private static readonly EngineEvent[] AllEvents =
    [
        EngineEvent.InitializationSucceeded, EngineEvent.InitializationFailed, EngineEvent.CredentialsRejected,
        EngineEvent.CycleFailuresExceeded, EngineEvent.RetryDue, EngineEvent.StopCompleted,
    ];

    public static TheoryData<EngineState, EngineAction> AllStateActionPairs()
    {
        var data = new TheoryData<EngineState, EngineAction>();
        foreach (var state in Enum.GetValues<EngineState>())
        {
            foreach (var action in Enum.GetValues<EngineAction>())
            {
                data.Add(state, action);
            }
        }
        return data;
    }

    public static TheoryData<EngineState, EngineEvent> AllStateEventPairs()
    {
        var data = new TheoryData<EngineState, EngineEvent>();
        foreach (var state in Enum.GetValues<EngineState>())
        {
            foreach (var engineEvent in Enum.GetValues<EngineEvent>())
            {
                data.Add(state, engineEvent);
            }
        }
        return data;
    }

    [Fact]
    public void The_enums_hold_exactly_the_states_actions_and_events_of_the_spec_in_order()
    {
        Assert.Equal(AllStates, Enum.GetValues<EngineState>());
        Assert.Equal(AllActions, Enum.GetValues<EngineAction>());
        Assert.Equal(AllEvents, Enum.GetValues<EngineEvent>());
    }

    [Fact]
    public void The_state_action_member_data_covers_all_64_distinct_pairs()
    {
        var pairs = AllStateActionPairs().Select(row => ((EngineState)row[0], (EngineAction)row[1])).ToList();

        Assert.Equal(64, pairs.Count);
        Assert.Equal(64, pairs.Distinct().Count());
        foreach (var state in AllStates)
        {
            foreach (var action in AllActions)
            {
                Assert.Contains((state, action), pairs);
            }
        }
    }

    [Fact]
    public void The_state_event_member_data_covers_all_48_distinct_pairs()
    {
        var pairs = AllStateEventPairs().Select(row => ((EngineState)row[0], (EngineEvent)row[1])).ToList();

        Assert.Equal(48, pairs.Count);
        Assert.Equal(48, pairs.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllStateActionPairs))]
    public void Every_state_action_pair_is_decided_as_the_spec_table_says(EngineState from, EngineAction action)
    {
        var (expectedKind, expectedPath) = Expected(from, action);

        var decision = EngineLifecycle.Decide(from, action);

        Assert.Equal(from, decision.From);
        Assert.Equal(action, decision.Action);
        Assert.Equal(expectedKind, decision.Kind);
        Assert.Equal(expectedPath, decision.Path);
        Assert.Equal(expectedKind == DecisionKind.Transition, decision.IsTransition);
        Assert.Equal(expectedPath.Length == 0 ? from : expectedPath[^1], decision.Target);
    }

    [Theory]
    [MemberData(nameof(AllStateActionPairs))]
    public void A_non_transition_stays_in_its_state_and_a_transition_leaves_through_a_non_empty_path(EngineState from, EngineAction action)
    {
        var decision = EngineLifecycle.Decide(from, action);

        if (decision.IsTransition)
        {
            Assert.NotEmpty(decision.Path);
        }
        else
        {
            Assert.Empty(decision.Path);
            Assert.Equal(from, decision.Target);
        }
    }

    [Fact]
    public void The_expected_table_has_the_spec_number_of_transitions_and_no_ops()
    {
        // A guard on the hand-written table itself: 1+3+3+1+1+4+3+3 transitions, 2+2 no-ops, the rest refused.
        var kinds = AllStates.SelectMany(s => AllActions.Select(a => Expected(s, a).Kind)).ToList();

        Assert.Equal(19, kinds.Count(k => k == DecisionKind.Transition));
        Assert.Equal(4, kinds.Count(k => k == DecisionKind.NoOp));
        Assert.Equal(41, kinds.Count(k => k == DecisionKind.Refused));
    }

    [Fact]
    public void Stop_from_Running_goes_through_Stopping_to_Stopped()
    {
        var decision = EngineLifecycle.Decide(Running, EngineAction.Stop);

        Assert.Equal(DecisionKind.Transition, decision.Kind);
        Assert.Equal([Stopping, Stopped], decision.Path);
        Assert.Equal(Stopped, decision.Target);
    }

    [Fact]
    public void Start_from_Stopped_goes_through_Initializing_to_Running()
    {
        var decision = EngineLifecycle.Decide(Stopped, EngineAction.Start);

        Assert.Equal(DecisionKind.Transition, decision.Kind);
        Assert.Equal([Initializing, Running], decision.Path);
        Assert.Equal(Running, decision.Target);
    }

    [Fact]
    public void Restart_from_Error_goes_through_Stopping_Stopped_Initializing_to_Running()
    {
        var decision = EngineLifecycle.Decide(Error, EngineAction.Restart);

        Assert.Equal(DecisionKind.Transition, decision.Kind);
        Assert.Equal([Stopping, Stopped, Initializing, Running], decision.Path);
    }

    [Theory]
    [InlineData(Initializing)]
    [InlineData(Running)]
    public void Start_while_starting_or_running_is_a_no_op(EngineState from)
    {
        var decision = EngineLifecycle.Decide(from, EngineAction.Start);

        Assert.Equal(DecisionKind.NoOp, decision.Kind);
        Assert.False(decision.IsTransition);
        Assert.Equal(from, decision.Target);
    }

    [Theory]
    [InlineData(Enabled)]
    [InlineData(Stopped)]
    public void Stop_when_not_running_is_a_no_op(EngineState from)
    {
        var decision = EngineLifecycle.Decide(from, EngineAction.Stop);

        Assert.Equal(DecisionKind.NoOp, decision.Kind);
        Assert.Equal(from, decision.Target);
    }

    [Fact]
    public void Stop_from_Idle_is_refused()
    {
        Assert.Equal(DecisionKind.Refused, EngineLifecycle.Decide(Idle, EngineAction.Stop).Kind);
    }

    [Theory]
    [InlineData(Initializing)]
    [InlineData(Running)]
    [InlineData(Paused)]
    [InlineData(Stopping)]
    [InlineData(Error)]
    public void Delete_is_refused_unless_idle_enabled_or_stopped(EngineState from)
    {
        Assert.Equal(DecisionKind.Refused, EngineLifecycle.Decide(from, EngineAction.Delete).Kind);
    }

    [Theory]
    [InlineData(Idle)]
    [InlineData(Enabled)]
    [InlineData(Stopped)]
    public void Delete_from_a_quiet_state_is_allowed_and_ends_Idle(EngineState from)
    {
        var decision = EngineLifecycle.Decide(from, EngineAction.Delete);

        Assert.True(decision.IsTransition);
        Assert.Equal(Idle, decision.Target);
    }

    [Fact]
    public void Every_action_is_refused_while_Stopping()
    {
        Assert.All(AllActions, a => Assert.Equal(DecisionKind.Refused, EngineLifecycle.Decide(Stopping, a).Kind));
        Assert.Empty(EngineLifecycle.AllowedActions(Stopping));
    }

    public static TheoryData<EngineState, EngineAction[]> SpecAllowedActions() => new()
    {
        { Idle, [EngineAction.Enable, EngineAction.Delete] },
        { Enabled, [EngineAction.Disable, EngineAction.Start, EngineAction.Delete] },
        { Initializing, [EngineAction.Stop] },
        { Running, [EngineAction.Pause, EngineAction.Stop, EngineAction.Restart] },
        { Paused, [EngineAction.Resume, EngineAction.Stop, EngineAction.Restart] },
        { Stopping, [] },
        { Stopped, [EngineAction.Disable, EngineAction.Start, EngineAction.Delete] },
        { Error, [EngineAction.Disable, EngineAction.Start, EngineAction.Stop, EngineAction.Restart] },
    };

    [Theory]
    [MemberData(nameof(SpecAllowedActions))]
    public void AllowedActions_lists_the_transitions_from_a_state_in_declaration_order(EngineState state, EngineAction[] expected)
    {
        Assert.Equal(expected, EngineLifecycle.AllowedActions(state));
    }

    [Fact]
    public void AllowedActions_is_given_for_every_state()
    {
        var covered = SpecAllowedActions().Select(row => (EngineState)row[0]).ToArray();

        Assert.Equal(AllStates, covered);
    }

    [Theory]
    [MemberData(nameof(EachState))]
    public void AllowedActions_agrees_with_the_expected_action_table(EngineState state)
    {
        var expected = AllActions.Where(a => Expected(state, a).Kind == DecisionKind.Transition).ToArray();

        Assert.Equal(expected, EngineLifecycle.AllowedActions(state));
    }

    public static TheoryData<EngineState> EachState() => new(AllStates);

    /// <summary>SPEC §3 internal events: (event, from states, to). Pairs not listed lead nowhere (null).</summary>
    private static readonly (EngineEvent Event, EngineState[] From, EngineState To)[] SpecEventRows =
    [
        (EngineEvent.InitializationSucceeded, [Initializing], Running),
        (EngineEvent.InitializationFailed, [Initializing], Error),
        (EngineEvent.CredentialsRejected, [Initializing, Running, Paused], Error),
        (EngineEvent.CycleFailuresExceeded, [Running, Paused], Error),
        (EngineEvent.RetryDue, [Error], Initializing),
        (EngineEvent.StopCompleted, [Stopping], Stopped),
    ];

    [Theory]
    [MemberData(nameof(AllStateEventPairs))]
    public void Every_state_event_pair_leads_where_the_spec_says(EngineState from, EngineEvent engineEvent)
    {
        var row = SpecEventRows.SingleOrDefault(r => r.Event == engineEvent && r.From.Contains(from));
        EngineState? expected = row.From is null ? null : row.To;

        Assert.Equal(expected, EngineLifecycle.OnEvent(from, engineEvent));
    }

    [Fact]
    public void CredentialsRejected_while_Paused_goes_to_Error()
    {
        Assert.Equal(Error, EngineLifecycle.OnEvent(Paused, EngineEvent.CredentialsRejected));
    }

    [Fact]
    public void StopCompleted_outside_Stopping_does_not_apply()
    {
        Assert.Null(EngineLifecycle.OnEvent(Running, EngineEvent.StopCompleted));
        Assert.Null(EngineLifecycle.OnEvent(Stopped, EngineEvent.StopCompleted));
    }

    public static TheoryData<EngineState, RecoveryPlan> SpecRecovery() => new()
    {
        { Idle, RecoveryPlan.None },
        { Enabled, RecoveryPlan.None },
        { Initializing, RecoveryPlan.Reinitialize },
        { Running, RecoveryPlan.Reinitialize },
        { Paused, RecoveryPlan.ResumePaused },
        { Stopping, RecoveryPlan.CompleteStop },
        { Stopped, RecoveryPlan.None },
        { Error, RecoveryPlan.None },
    };

    [Theory]
    [MemberData(nameof(SpecRecovery))]
    public void Recovery_after_a_crash_follows_the_persisted_state(EngineState persisted, RecoveryPlan expected)
    {
        Assert.Equal(expected, EngineLifecycle.Recover(persisted));
    }

    [Fact]
    public void Recovery_plan_is_given_for_every_state()
    {
        Assert.Equal(AllStates, SpecRecovery().Select(row => (EngineState)row[0]).ToArray());
    }

    [Theory]
    [InlineData(Idle, false, false)]
    [InlineData(Enabled, false, false)]
    [InlineData(Initializing, false, true)]
    [InlineData(Running, true, true)]
    [InlineData(Paused, true, true)]
    [InlineData(Stopping, false, true)]
    [InlineData(Stopped, false, false)]
    [InlineData(Error, false, false)]
    public void Only_Running_and_Paused_have_timers_and_busy_states_are_active(EngineState state, bool hasTimers, bool isActive)
    {
        Assert.Equal(hasTimers, EngineLifecycle.HasTimers(state));
        Assert.Equal(isActive, EngineLifecycle.IsActive(state));
    }

    [Theory]
    [InlineData(EngineAction.Enable, "enable")]
    [InlineData(EngineAction.Disable, "disable")]
    [InlineData(EngineAction.Start, "start")]
    [InlineData(EngineAction.Pause, "pause")]
    [InlineData(EngineAction.Resume, "resume")]
    [InlineData(EngineAction.Stop, "stop")]
    [InlineData(EngineAction.Restart, "restart")]
    [InlineData(EngineAction.Delete, "delete")]
    public void Actions_have_lowercase_wire_names_that_parse_back(EngineAction action, string wire)
    {
        Assert.Equal(wire, action.ToWire());
        Assert.True(EngineActionNames.TryParse(wire, out var parsed));
        Assert.Equal(action, parsed);
    }

    [Theory]
    [InlineData("Start")]
    [InlineData("START")]
    [InlineData("launch")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_or_miscased_wire_names_do_not_parse(string? wire)
    {
        Assert.False(EngineActionNames.TryParse(wire, out _));
    }
}
