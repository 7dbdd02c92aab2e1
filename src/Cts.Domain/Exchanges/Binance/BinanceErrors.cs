namespace Cts.Domain.Exchanges.Binance;

/// <summary>
/// What a Binance error means for the engine (errors.md, rest-api.md "HTTP Return Codes"): which codes are a refused
/// key, which a clock out of step, which an unknown order, and how each HTTP status is to be read.
/// </summary>
public static class BinanceErrors
{
    /// <summary>-1003 TOO_MANY_REQUESTS: request weight exceeded (sent with 429/418).</summary>
    public const int TooManyRequests = -1003;

    /// <summary>-1013: a filter failure (e.g. "Filter failure: LOT_SIZE").</summary>
    public const int FilterFailure = -1013;

    /// <summary>-1021 INVALID_TIMESTAMP: outside recvWindow, or more than 1 s ahead of the server.</summary>
    public const int InvalidTimestamp = -1021;

    /// <summary>-1022 INVALID_SIGNATURE: with a correct signer, a wrong secret.</summary>
    public const int InvalidSignature = -1022;

    /// <summary>-1121 BAD_SYMBOL.</summary>
    public const int BadSymbol = -1121;

    /// <summary>-2010 NEW_ORDER_REJECTED (insufficient balance, duplicate open id, market closed …).</summary>
    public const int NewOrderRejected = -2010;

    /// <summary>-2011 CANCEL_REJECTED.</summary>
    public const int CancelRejected = -2011;

    /// <summary>-2013 NO_SUCH_ORDER.</summary>
    public const int NoSuchOrder = -2013;

    /// <summary>-2014 BAD_API_KEY_FMT.</summary>
    public const int BadApiKeyFormat = -2014;

    /// <summary>-2015 REJECTED_MBX_KEY: invalid key, IP or permissions.</summary>
    public const int RejectedKey = -2015;

    /// <summary>True when the answer says the key (or its secret) is not accepted: retrying cannot help.</summary>
    public static bool IsCredentialsRejected(int httpStatus, int? code) =>
        httpStatus == 401 || code is BadApiKeyFormat or RejectedKey or InvalidSignature;

    /// <summary>
    /// How an error answer is classified. 429 and 418 (rate limit and ban) and every 5xx are transient — for a 5xx
    /// the execution status is UNKNOWN (rest-api.md), so an order must be looked up before it is sent again; a refused
    /// key is <see cref="ExchangeFaultKind.CredentialsRejected"/>; any other 4xx is the request's own fault.
    /// </summary>
    public static ExchangeFaultKind KindOf(int httpStatus, int? code)
    {
        if (IsCredentialsRejected(httpStatus, code))
        {
            return ExchangeFaultKind.CredentialsRejected;
        }
        if (httpStatus is 429 or 418 || httpStatus >= 500 || code is -1000 or -1001 or -1006 or -1007 or -1008)
        {
            return ExchangeFaultKind.Transient;
        }
        return ExchangeFaultKind.Rejected;
    }

    /// <summary>
    /// True when an order placement answered with this error was definitely not executed: the venue judged the order
    /// itself (filters, balance, parameters) and refused it, so the client order id may be sent again.
    /// </summary>
    public static bool IsOrderRefusal(int httpStatus, int? code) =>
        httpStatus is >= 400 and < 500 and not 429 and not 418 && !IsCredentialsRejected(httpStatus, code) && code is not null;
}
