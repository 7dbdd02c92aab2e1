using System.Globalization;

namespace Cts.Bench;

/// <summary>
/// What one run measures and how long it looks. <c>--quick</c> is the developer's check before a performance-relevant
/// commit (N = 500, short windows, under a minute once built); the default is the issue #7 run (N = 10,000).
/// </summary>
public sealed record BenchOptions
{
    public int Engines { get; init; } = 10_000;
    public bool Quick { get; init; }

    /// <summary>The steady-state window for cycle lag, CPU and storage writes. At least the health flush period (30 s) in a full run.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Starts at idle, one at a time, after <see cref="WarmUpStarts"/> that are not measured: enough for a p99 that is not just the slowest one.</summary>
    public int IdleStarts { get; init; } = 200;

    /// <summary>The first starts of a fresh host compile their code paths; they are run, not measured.</summary>
    public const int WarmUpStarts = 5;
    public int LoadedStarts { get; init; } = 30;
    public int StatusAllRepeats { get; init; } = 50;

    /// <summary>The pause before each status-all listing: at least the engines' health interval, so each listing finds every document changed.</summary>
    public TimeSpan StatusAllSpacing { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RawWriteDuration { get; init; } = TimeSpan.FromSeconds(5);
    public int RawWriteConcurrency { get; init; } = 32;

    /// <summary>Concurrent HTTP requests when creating connections and bulk-starting engines.</summary>
    public int Parallelism { get; init; } = 64;

    public TimeSpan RecoveryDeadline { get; init; } = TimeSpan.FromMinutes(5);

    public const string Usage = "usage: Cts.Bench [--engines N] [--quick] [--window seconds]";

    public static BenchOptions Parse(string[] args)
    {
        int? engines = null;
        double? window = null;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--engines" when i + 1 < args.Length:
                    engines = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--window" when i + 1 < args.Length:
                    window = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}");
            }
        }
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Engines = 500, Window = TimeSpan.FromSeconds(10), IdleStarts = 50, LoadedStarts = 10, StatusAllRepeats = 10, StatusAllSpacing = TimeSpan.FromSeconds(0.3),
                RawWriteDuration = TimeSpan.FromSeconds(2), RecoveryDeadline = TimeSpan.FromSeconds(60),
            }
            : new BenchOptions();
        options = options with
        {
            Engines = engines ?? options.Engines,
            Window = window is { } w ? TimeSpan.FromSeconds(w) : options.Window,
        };
        if (options.Engines < options.IdleStarts + WarmUpStarts || options.Window <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--engines must be at least {options.IdleStarts + WarmUpStarts} and --window positive. {Usage}");
        }
        return options;
    }
}
