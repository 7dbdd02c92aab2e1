using System.Globalization;

namespace Cts.Bench;

/// <summary>
/// What one invocation measures. The default is one 10,000-engine run; <c>--all</c> is the issue #14 invocation that
/// writes bench/results/latest.md (three runs, the soak, the growth series and the peer); <c>--quick</c> is the
/// developer's check before a performance-relevant commit (N = 500, short windows, under a minute once built).
/// </summary>
public sealed record BenchOptions
{
    public int Engines { get; init; } = 10_000;

    /// <summary>How many symbols the engines are spread over, two each (<see cref="BenchSymbols"/>).</summary>
    public int Symbols { get; init; } = BenchSymbols.Default;
    public bool Quick { get; init; }

    /// <summary>How many times the N-engine measurement is repeated (median and worst reported).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>The soak's length, or null for no soak.</summary>
    public TimeSpan? Soak { get; init; }

    /// <summary>The engine counts of the growth series, or null for none.</summary>
    public IReadOnlyList<int>? Growth { get; init; }

    public TimeSpan GrowthWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The peer to compare with (only <c>durabletask</c>), or null.</summary>
    public string? Peer { get; init; }

    public IReadOnlyList<int> PeerEngines { get; init; } = [100, 500, 2000];

    public TimeSpan PeerWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the N-engine measurement runs at all (it does unless only other scenarios were asked for).</summary>
    public bool MeasureEngines { get; init; } = true;

    /// <summary>Whether the backtest speed (issue #15) is measured too, as a section of the same report (<c>--all</c>).</summary>
    public bool Backtest { get; init; }

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

    /// <summary>The arguments as given, for the report's first line.</summary>
    public string Command { get; init; } = "";

    public const string Usage = "usage: Cts.Bench [--engines N] [--symbols 2–50] [--window seconds] [--runs K] [--soak 10m|seconds] [--growth N,N,…] "
        + "[--peer durabletask [--peer-engines N,N,…]] [--only-scenarios] [--all] [--quick]";

    public static BenchOptions Parse(string[] args)
    {
        int? engines = null, runs = null, symbols = null;
        double? window = null;
        TimeSpan? soak = null;
        List<int>? growth = null, peerEngines = null;
        string? peer = null;
        bool quick = false, all = false, onlyScenarios = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--all":
                    all = true;
                    break;
                case "--only-scenarios":
                    onlyScenarios = true;
                    break;
                case "--engines":
                    engines = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--symbols":
                    symbols = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--window":
                    window = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--runs":
                    runs = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--soak":
                    soak = Duration(Next());
                    break;
                case "--growth":
                    growth = Counts(Next());
                    break;
                case "--peer":
                    peer = Next();
                    if (peer != "durabletask")
                    {
                        throw new ArgumentException($"unknown peer '{peer}'; the peer is 'durabletask'. {Usage}");
                    }
                    break;
                case "--peer-engines":
                    peerEngines = Counts(Next());
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. {Usage}");
            }
        }
        var options = quick
            ? new BenchOptions
            {
                Quick = true, Engines = 500, Window = TimeSpan.FromSeconds(10), IdleStarts = 50, LoadedStarts = 10, StatusAllRepeats = 10, StatusAllSpacing = TimeSpan.FromSeconds(0.3),
                RawWriteDuration = TimeSpan.FromSeconds(2), RecoveryDeadline = TimeSpan.FromSeconds(60), GrowthWindow = TimeSpan.FromSeconds(10),
                PeerWindow = TimeSpan.FromSeconds(20), PeerEngines = [50, 100],
            }
            : new BenchOptions();
        if (all)
        {
            runs ??= 3;
            soak ??= TimeSpan.FromMinutes(quick ? 2 : 10);
            growth ??= quick ? [200, 500] : [1000, 5000, 10000, 20000];
            peer ??= "durabletask";
        }
        options = options with
        {
            Engines = engines ?? options.Engines,
            Symbols = symbols ?? options.Symbols,
            Window = window is { } w ? TimeSpan.FromSeconds(w) : options.Window,
            Runs = runs ?? 1,
            Soak = soak,
            Growth = growth,
            Peer = peer,
            PeerEngines = peerEngines ?? options.PeerEngines,
            MeasureEngines = !onlyScenarios,
            Backtest = all,
            Command = string.Join(' ', args),
        };
        if (options.Engines < options.IdleStarts + WarmUpStarts || options.Window <= TimeSpan.Zero || options.Runs < 1
            || options.Symbols < 2 || options.Symbols > BenchSymbols.All.Length)
        {
            throw new ArgumentException($"--engines must be at least {options.IdleStarts + WarmUpStarts}, --window positive, --runs at least 1 "
                + $"and --symbols 2 to {BenchSymbols.All.Length}. {Usage}");
        }
        return options;
    }

    /// <summary>"10m", "90s" or plain seconds.</summary>
    private static TimeSpan Duration(string text) => text switch
    {
        _ when text.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ when text.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture)),
    };

    private static List<int> Counts(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
}
