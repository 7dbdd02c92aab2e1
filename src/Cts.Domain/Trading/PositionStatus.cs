namespace Cts.Domain.Trading;

/// <summary>A position is open from its entry fill until its exit fill; it never reopens.</summary>
public enum PositionStatus
{
    Open,
    Closed,
}
