namespace Cts.Domain.Exchanges.Binance;

/// <summary>
/// The request-weight budget of one node against one Binance endpoint (rest-api.md, "LIMITS" / "IP Limits"): weight is
/// counted per IP per minute and each answer says how much is used (<c>X-MBX-USED-WEIGHT-1M</c>). Calls back off before
/// the limit — a call that would take the minute past <see cref="Threshold"/> of the limit waits for the next minute —
/// and after a 429/418 nothing is sent until its <c>Retry-After</c> has passed. Thread-safe; time is passed in.
/// </summary>
public sealed class WeightBudget(int limitPerMinute = WeightBudget.DefaultLimit, double threshold = WeightBudget.DefaultThreshold)
{
    /// <summary>REQUEST_WEIGHT per minute when exchangeInfo has not said otherwise.</summary>
    public const int DefaultLimit = 6000;

    /// <summary>The share of the limit a node uses before it waits for the next minute.</summary>
    public const double DefaultThreshold = 0.9;

    private readonly object _gate = new();
    private long _minute = long.MinValue;
    private int _used;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public int Limit { get; private set; } = limitPerMinute > 0 ? limitPerMinute : throw new ArgumentOutOfRangeException(nameof(limitPerMinute));

    public double Threshold { get; } = threshold is > 0 and <= 1 ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold));

    /// <summary>The weight known to be used in the current minute (reported or reserved).</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Takes the limit exchangeInfo reports (rateLimits REQUEST_WEIGHT per 1 MINUTE).</summary>
    public void SetLimit(int limitPerMinute)
    {
        if (limitPerMinute > 0)
        {
            lock (_gate)
            {
                Limit = limitPerMinute;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="weight"/> for a call at <paramref name="now"/>: <see cref="TimeSpan.Zero"/> when it may go
    /// now (and the weight is counted), otherwise how long to wait first (nothing is counted).
    /// </summary>
    public TimeSpan Reserve(int weight, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        lock (_gate)
        {
            if (now < _blockedUntil)
            {
                return _blockedUntil - now;
            }
            Roll(now);
            if (_used + weight > Limit * Threshold && _used > 0)
            {
                return NextMinute(now) - now;
            }
            _used += weight;
            return TimeSpan.Zero;
        }
    }

    /// <summary>Records what an answer at <paramref name="at"/> reported as used in its minute.</summary>
    public void Observe(int usedWeight, DateTimeOffset at)
    {
        lock (_gate)
        {
            Roll(at);
            // The venue's count is the truth; our reservations in flight may not be in it yet, so keep the larger.
            _used = Math.Max(_used, usedWeight);
        }
    }

    /// <summary>A 429 or 418 at <paramref name="at"/> asking to wait <paramref name="retryAfter"/>: nothing goes out before then.</summary>
    public void Block(DateTimeOffset at, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = at + (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero);
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }
    }

    /// <summary>Until when calls are held back after a 429/418; <see cref="DateTimeOffset.MinValue"/> when they are not.</summary>
    public DateTimeOffset BlockedUntil
    {
        get
        {
            lock (_gate)
            {
                return _blockedUntil;
            }
        }
    }

    private void Roll(DateTimeOffset now)
    {
        var minute = now.ToUnixTimeMilliseconds() / 60_000;
        if (minute != _minute)
        {
            _minute = minute;
            _used = 0;
        }
    }

    private static DateTimeOffset NextMinute(DateTimeOffset now) =>
        DateTimeOffset.FromUnixTimeMilliseconds((now.ToUnixTimeMilliseconds() / 60_000 + 1) * 60_000);
}
