namespace Cts.Functions.Tests.Infrastructure;

/// <summary>One wait with its own deadline: a shorthand for <see cref="Deadline"/> when nothing else shares it.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what,
        Func<string>? diagnostics = null) =>
        Deadline.In(deadline).UntilAsync(what, probe, done, diagnostics ?? (() => ""), Interval);

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, Func<string>? diagnostics = null) =>
        UntilAsync(condition, ok => ok, deadline, what, diagnostics);
}
