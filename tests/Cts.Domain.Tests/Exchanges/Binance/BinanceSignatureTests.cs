using Cts.Domain.Exchanges.Binance;

namespace Cts.Domain.Tests.Exchanges.Binance;

/// <summary>Against the worked HMAC examples of rest-api.md ("SIGNED Endpoint Examples for POST /api/v3/order", HMAC Keys).</summary>
public sealed class BinanceSignatureTests
{
    private const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private const string AllParams = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";

    [Fact]
    public void The_documented_query_string_example_signs_to_the_documented_signature()
    {
        Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
            BinanceSignature.Sign(Secret, BinanceSignature.Payload(AllParams, "")));
    }

    [Fact]
    public void Query_and_body_are_concatenated_without_a_separator_as_in_the_mixed_example()
    {
        var payload = BinanceSignature.Payload("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
            "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");

        Assert.Equal("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", payload);
        Assert.Equal("0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77", BinanceSignature.Sign(Secret, payload));
    }

    [Fact]
    public void Verification_ignores_case_and_refuses_another_payload_or_secret()
    {
        const string signature = "C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71";

        Assert.True(BinanceSignature.Verify(Secret, AllParams, signature));
        Assert.False(BinanceSignature.Verify(Secret, AllParams.Replace("quantity=1", "quantity=2"), signature));
        Assert.False(BinanceSignature.Verify(Secret + "x", AllParams, signature));
        Assert.False(BinanceSignature.Verify(Secret, AllParams, null));
    }

    [Fact]
    public void The_query_keeps_parameter_order_and_percent_encodes_values()
    {
        var query = BinanceSignature.Query([new("symbol", "BTCUSDT"), new("newClientOrderId", "cts-a_b"), new("symbols", "[\"A\",\"B\"]")]);

        Assert.Equal("symbol=BTCUSDT&newClientOrderId=cts-a_b&symbols=%5B%22A%22%2C%22B%22%5D", query);
    }
}
