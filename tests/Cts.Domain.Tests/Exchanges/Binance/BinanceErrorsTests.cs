using Cts.Domain.Exchanges;
using Cts.Domain.Exchanges.Binance;

namespace Cts.Domain.Tests.Exchanges.Binance;

/// <summary>errors.md codes and rest-api.md "HTTP Return Codes" as the engine reads them.</summary>
public sealed class BinanceErrorsTests
{
    [Theory]
    [InlineData(401, null, ExchangeFaultKind.CredentialsRejected)]
    [InlineData(401, -2015, ExchangeFaultKind.CredentialsRejected)]
    [InlineData(400, -2014, ExchangeFaultKind.CredentialsRejected)]
    [InlineData(400, -1022, ExchangeFaultKind.CredentialsRejected)]
    [InlineData(429, -1003, ExchangeFaultKind.Transient)]
    [InlineData(418, -1003, ExchangeFaultKind.Transient)]
    [InlineData(500, null, ExchangeFaultKind.Transient)]
    [InlineData(503, -1001, ExchangeFaultKind.Transient)]
    [InlineData(400, -1007, ExchangeFaultKind.Transient)]
    [InlineData(400, -1121, ExchangeFaultKind.Rejected)]
    [InlineData(400, -1013, ExchangeFaultKind.Rejected)]
    [InlineData(400, -2010, ExchangeFaultKind.Rejected)]
    public void Each_answer_maps_to_what_retrying_can_do(int status, int? code, ExchangeFaultKind expected)
    {
        Assert.Equal(expected, BinanceErrors.KindOf(status, code));
    }

    [Fact]
    public void Only_a_judged_4xx_is_an_order_refusal_that_may_be_sent_again()
    {
        Assert.True(BinanceErrors.IsOrderRefusal(400, BinanceErrors.FilterFailure));
        Assert.True(BinanceErrors.IsOrderRefusal(400, BinanceErrors.NewOrderRejected));
        Assert.False(BinanceErrors.IsOrderRefusal(500, null));
        Assert.False(BinanceErrors.IsOrderRefusal(429, BinanceErrors.TooManyRequests));
        Assert.False(BinanceErrors.IsOrderRefusal(401, BinanceErrors.RejectedKey));
    }
}
