using System.Runtime.InteropServices;

namespace Cts.Bench.Processes;

/// <summary>Pausing and resuming a process this benchmark started, by its PID (SIGSTOP / SIGCONT).</summary>
public static class Signals
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    public static void Pause(IEnumerable<int> pids) => Send(pids, SigStop);

    public static void Resume(IEnumerable<int> pids) => Send(pids, SigCont);

    private static void Send(IEnumerable<int> pids, int signal)
    {
        foreach (var pid in pids)
        {
            if (Kill(pid, signal) != 0)
            {
                throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
