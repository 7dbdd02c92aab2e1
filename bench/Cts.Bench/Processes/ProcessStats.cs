using System.Globalization;
using System.Runtime.InteropServices;

namespace Cts.Bench.Processes;

/// <summary>CPU time and resident memory of a process, from <c>/proc/{pid}/stat</c> and <c>/proc/{pid}/status</c>.</summary>
public static class ProcessStats
{
    private const int ScClkTck = 2;

    private static readonly double TicksPerSecond = SysConf(ScClkTck) is > 0 and var t ? t : 100;

    /// <summary>User plus system CPU time consumed so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may contain spaces) in parentheses: state is [0], utime [11], stime [12].
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Resident set size (VmRSS) in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
