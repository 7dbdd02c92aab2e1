namespace Cts.Bench;

/// <summary>A target a figure is judged against: its text, and whether a value meets it.</summary>
public sealed record Target(string Text, Func<double, bool> Met, bool LowerIsBetter = true)
{
    public static Target Below(double limit, string text) => new(text, v => v < limit);

    public static Target AtMost(double limit, string text) => new(text, v => v <= limit);

    public static Target AtLeast(double limit, string text) => new(text, v => v >= limit, LowerIsBetter: false);
}

/// <summary>
/// One measured figure of a run: the number it is judged by (<see cref="Value"/>, NaN when not measured), the text
/// shown for it, and its target if it has one.
/// </summary>
public sealed record Figure(string Name, double Value, string Display, Target? Target = null)
{
    public bool? Met => Target is null ? null : !double.IsNaN(Value) && Target.Met(Value);
}

/// <summary>What one measured run produced: its figures in order, and notes that explain them.</summary>
public sealed class RunResult
{
    public List<Figure> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    public bool StoppedEarly { get; set; }

    public Figure Add(Figure figure)
    {
        Figures.Add(figure);
        Console.WriteLine($"  {figure.Name}: {figure.Display}{(figure.Met is { } met ? met ? "  (target met)" : $"  (target {figure.Target!.Text} NOT met)" : "")}");
        return figure;
    }

    public void Note(string note)
    {
        Notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public double ValueOf(string name) => Figures.FirstOrDefault(f => f.Name == name)?.Value ?? double.NaN;
}
