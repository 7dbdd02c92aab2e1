using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cts.Domain.Market;
using Cts.Functions.Api;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cts.Functions.Tests.Backtesting;

/// <summary>
/// <c>POST /api/candles/{symbol}</c> takes long histories in one request (up to 64 MiB; every other route stays at
/// 64 KiB), on the real server: the built host as its own process behind Kestrel, on Azurite.
/// </summary>
[Collection(SecondAzuriteCollection.Name)]
public sealed class CandleUploadTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly DateTimeOffset From = BacktestRig.From;

    [Fact]
    public async Task Thirty_days_of_candles_import_in_one_upload_a_bad_row_refuses_all_of_it_and_a_backtest_runs_over_them()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        // 30 days = 43,200 one-minute candles (~2.8 MB of CSV, ~45 times the default body limit), from a day before the window.
        var candles = Candles("SOLUSDT", From.AddDays(-1), 43_200);
        var bad = Csv(candles, breakRow: 43_000);
        Assert.True(bad.Length > 40 * SecurityLimit, $"the upload is {bad.Length} bytes");

        var refused = await host.Client.PostAsync("/api/candles/SOLUSDT", CsvContent(bad));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("rows[43000].high"), errors.ToJsonString());
        var store = new CandleStore(azurite.NewTables(host.Prefix));
        Assert.Empty(await store.LoadAsync("SOLUSDT", From.AddDays(-1), From.AddDays(29))); // nothing was written

        var imported = await host.Client.PostAsync("/api/candles/SOLUSDT", CsvContent(Csv(candles)));
        var body = await imported.Content.ReadAsStringAsync();
        Assert.True(imported.StatusCode == HttpStatusCode.OK, $"{imported.StatusCode}: {body}\n{host.OutputTail(20)}");
        var result = JsonNode.Parse(body)!;
        Assert.Equal(43_200, result["imported"]!.GetValue<int>());
        Assert.Equal(candles[^1].OpenTime, result["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(candles, await store.LoadAsync("SOLUSDT", From.AddDays(-1), From.AddDays(29)));

        var window = TimeSpan.FromDays(7);
        var id = await BacktestRig.StartAsync(host.Client, BacktestRig.Request(window, ["SOLUSDT"], "imported"));
        var done = await BacktestRig.WaitForAsync(host.Client, id, "completed", TimeSpan.FromSeconds(120), () => host.OutputTail());
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var market = new CandleMarket(new Dictionary<string, IReadOnlyList<Candle>> { ["SOLUSDT"] = candles });
        var (trades, _) = await BacktestRig.RunInDomainAsync(window, ["SOLUSDT"], market);
        Assert.NotEmpty(trades);
        Assert.Equal(trades.Count, done["results"]!["trades"]!.GetValue<int>());
        Assert.Equal(trades.Sum(t => t.ToPosition().RealizedPnl!.Value), done["results"]!["totalProfit"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_upload_past_64_MiB_is_a_413_problem_and_every_other_route_keeps_its_64_KiB_limit()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);

        // A declared length one byte past the limit: refused before the body is sent (the client waits for 100-continue).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/candles/SOLUSDT")
        {
            Content = new StreamContent(new RowStream(CandlesApi.MaxUploadBytes + 1)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Content.Headers.ContentLength = CandlesApi.MaxUploadBytes + 1;
        request.Headers.ExpectContinue = true;
        var tooLarge = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Contains("64 MiB", (await tooLarge.JsonAsync())!["detail"]!.GetValue<string>());

        // 70 KiB to another route is still too large there.
        using var small = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        small.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);
        var connection = await small.PostAsync("/api/connections", new StringContent(
            $$"""{"id":"big","name":"{{new string('x', 70 * 1024)}}","exchange":"paper","symbols":["BTCUSDT"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, connection.StatusCode);
        Assert.Contains("64 KiB", (await connection.JsonAsync())!["detail"]!.GetValue<string>());
        Assert.Empty(await new CandleStore(azurite.NewTables(host.Prefix)).LoadAsync("SOLUSDT", MinutePrices.Epoch, From.AddYears(2)));
    }

    [Fact]
    public async Task An_undeclared_length_past_64_MiB_is_a_413_problem_after_the_listed_errors_filled_up()
    {
        // In process (no Kestrel): the route's own count of what it read stops the body at the limit.
        await using var factory = new CtsAppFactory(azurite);
        using var client = factory.CreateClient(Cts.Functions.Security.Roles.Admin);
        var content = new StreamContent(new RowStream(CandlesApi.MaxUploadBytes + 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await client.PostAsync("/api/candles/SOLUSDT", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await new CandleStore(factory.Tables).LoadAsync("SOLUSDT", MinutePrices.Epoch, From.AddYears(2)));
    }

    [Fact]
    public async Task A_year_of_one_minute_candles_imports_in_one_upload()
    {
        await using var host = new HostProcess(azurite.ConnectionString, azurite.NewPrefix());
        await host.StartAsync();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var candles = Candles("BTCUSDT", start, 525_600);
        var csv = Csv(candles);
        Assert.True(csv.Length < CandlesApi.MaxUploadBytes, $"a year is {csv.Length} bytes");
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.Admin);

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync("/api/candles/BTCUSDT", CsvContent(csv));
        var took = clock.Elapsed;

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{host.OutputTail(20)}");
        Assert.Equal(525_600, JsonNode.Parse(body)!["imported"]!.GetValue<int>());
        output.WriteLine($"a year of one-minute candles ({candles.Count:N0} rows, {csv.Length / 1e6:0.0} MB of CSV) imported in one upload in {took.TotalSeconds:0.0} s");
        Console.WriteLine($"candle import: {candles.Count} rows, {csv.Length} bytes, {took.TotalSeconds:0.00} s");
        var stored = await new CandleStore(azurite.NewTables(host.Prefix)).LoadAsync("BTCUSDT", start.AddDays(364), start.AddDays(365));
        Assert.Equal(candles.Skip(364 * 1440), stored);
    }

    private const int SecurityLimit = 64 * 1024;

    private static List<Candle> Candles(string symbol, DateTimeOffset from, int count)
    {
        var market = new PaperMarket(11);
        return Enumerable.Range(0, count).Select(m => market.CandleAt(symbol, from.AddMinutes(m))).ToList();
    }

    private static byte[] Csv(IReadOnlyList<Candle> candles, int? breakRow = null)
    {
        var csv = new StringBuilder(candles.Count * 72).Append("openTime,open,high,low,close,volume\n");
        for (var i = 0; i < candles.Count; i++)
        {
            var c = candles[i];
            var high = i == breakRow ? Math.Min(c.Open, c.Close) / 2 : c.High; // below open and close
            csv.Append(FormattableString.Invariant($"{c.OpenTime:yyyy-MM-ddTHH:mm:ssZ},{c.Open},{high},{c.Low},{c.Close},{c.Volume}\n"));
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static ByteArrayContent CsvContent(byte[] csv)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    /// <summary>A CSV body of <paramref name="length"/> bytes made up as it is read (the same row again and again), never held whole.</summary>
    private sealed class RowStream(long length) : Stream
    {
        private static readonly byte[] Rows = Encoding.ASCII.GetBytes(
            "openTime,open,high,low,close,volume\n" + string.Concat(Enumerable.Repeat("2025-01-01T00:00:00Z,100,101,99,100,1\n", 1000)));
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                // After the header, the same row forever.
                var at = _position + i;
                buffer[offset + i] = at < Rows.Length ? Rows[at] : Rows[36 + (int)((at - 36) % (Rows.Length - 36))];
            }
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
