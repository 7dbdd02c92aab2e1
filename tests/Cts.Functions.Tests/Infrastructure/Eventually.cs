namespace Cts.Functions.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline instead of sleeping a guessed time.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what,
        Func<string>? diagnostics = null)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }
            if (DateTime.UtcNow > until)
            {
                break;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Not within {deadline.TotalSeconds:0.#} s: {what}. Last: {last}{Environment.NewLine}{diagnostics?.Invoke()}");
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, Func<string>? diagnostics = null) =>
        UntilAsync(condition, ok => ok, deadline, what, diagnostics);
}
