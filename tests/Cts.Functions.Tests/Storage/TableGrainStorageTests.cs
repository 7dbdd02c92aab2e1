using Azure.Data.Tables;
using Cts.Functions.Storage;
using Cts.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cts.Functions.Tests.Storage;

/// <summary>A state as a grain would keep it: serialized by Orleans' code-generated, version-tolerant serializer.</summary>
[GenerateSerializer]
public sealed record TestEngineState
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public int Generation { get; init; }
    [Id(2)] public byte[] Payload { get; init; } = [];
}

/// <summary>A state that projects queryable columns next to its serialized data.</summary>
[GenerateSerializer]
public sealed record TestProjectedState : ITableProjection
{
    [Id(0)] public string Lifecycle { get; init; } = "";
    [Id(1)] public long Cycles { get; init; }

    public IReadOnlyDictionary<string, object?> ProjectColumns() =>
        new Dictionary<string, object?> { ["State"] = Lifecycle, ["Cycles"] = Cycles, ["Missing"] = null };
}

[Collection(AzuriteCollection.Name)]
public sealed class TableGrainStorageTests
{
    private const string StateName = "engine";
    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer(_ => { }).BuildServiceProvider().GetRequiredService<Serializer>();

    private readonly AzuriteFixture _azurite;
    private readonly CtsTables _tables;
    private readonly TableGrainStorage _storage;

    public TableGrainStorageTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _tables = azurite.NewTables();
        _storage = NewStorage(_tables);
    }

    [Fact]
    public async Task Write_then_read_round_trips_the_state_and_etag()
    {
        var grain = Grain("binance-main");
        var written = new GrainState<TestEngineState>(new TestEngineState { Name = "main", Generation = 7, Payload = [1, 2, 3] });

        await _storage.WriteStateAsync(StateName, grain, written);
        var read = await ReadAsync(grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("main", read.State!.Name);
        Assert.Equal(7, read.State.Generation);
        Assert.Equal([1, 2, 3], read.State.Payload);
    }

    [Fact]
    public async Task Read_of_a_never_written_state_reports_no_record_and_no_etag()
    {
        var read = await ReadAsync(Grain("nobody"));

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Each_write_produces_a_new_etag()
    {
        var grain = Grain("etags");
        var state = new GrainState<TestEngineState>(new TestEngineState { Generation = 1 });

        await _storage.WriteStateAsync(StateName, grain, state);
        var first = state.ETag;
        state.State = state.State! with { Generation = 2 };
        await _storage.WriteStateAsync(StateName, grain, state);

        Assert.NotNull(first);
        Assert.NotNull(state.ETag);
        Assert.NotEqual(first, state.ETag);
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task Write_with_stale_etag_is_refused_and_leaves_stored_state_unchanged()
    {
        var grain = Grain("contended");
        var activationA = new GrainState<TestEngineState>(new TestEngineState { Generation = 1 });
        await _storage.WriteStateAsync(StateName, grain, activationA);
        var activationB = await ReadAsync(grain);
        activationB.State = activationB.State! with { Generation = 2 };
        await _storage.WriteStateAsync(StateName, grain, activationB);

        activationA.State = activationA.State! with { Generation = 99 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, activationA));

        var stored = await ReadAsync(grain);
        Assert.Equal(2, stored.State!.Generation);
        Assert.Equal(activationB.ETag, stored.ETag);
    }

    [Fact]
    public async Task First_write_is_refused_when_the_row_already_exists()
    {
        var grain = Grain("created-twice");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<TestEngineState>(new TestEngineState { Generation = 1 }));

        var unaware = new GrainState<TestEngineState>(new TestEngineState { Generation = 2 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, unaware));

        Assert.Equal(1, (await ReadAsync(grain)).State!.Generation);
    }

    [Fact]
    public async Task Clear_removes_the_state_so_a_read_reports_no_record()
    {
        var grain = Grain("cleared");
        var state = new GrainState<TestEngineState>(new TestEngineState { Generation = 1 });
        await _storage.WriteStateAsync(StateName, grain, state);

        await _storage.ClearStateAsync(StateName, grain, state);
        var read = await ReadAsync(grain);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Clear_with_stale_etag_is_refused_and_keeps_the_row()
    {
        var grain = Grain("clear-contended");
        var stale = new GrainState<TestEngineState>(new TestEngineState { Generation = 1 });
        await _storage.WriteStateAsync(StateName, grain, stale);
        var current = await ReadAsync(grain);
        await _storage.WriteStateAsync(StateName, grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, stale));

        Assert.True((await ReadAsync(grain)).RecordExists);
    }

    [Fact]
    public async Task Written_state_can_be_written_again_after_clear()
    {
        var grain = Grain("recreated");
        var state = new GrainState<TestEngineState>(new TestEngineState { Generation = 1 });
        await _storage.WriteStateAsync(StateName, grain, state);
        await _storage.ClearStateAsync(StateName, grain, state);

        state.State = state.State! with { Generation = 2 };
        await _storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal(2, (await ReadAsync(grain)).State!.Generation);
    }

    [Fact]
    public async Task Projected_columns_are_written_and_can_be_filtered_on()
    {
        await _storage.WriteStateAsync(StateName, Grain("running-1"), new GrainState<TestProjectedState>(new TestProjectedState { Lifecycle = "Running", Cycles = 5 }));
        await _storage.WriteStateAsync(StateName, Grain("stopped-1"), new GrainState<TestProjectedState>(new TestProjectedState { Lifecycle = "Stopped", Cycles = 9 }));

        var table = await _tables.GetAsync(TableGrainStorage.TableName);
        var running = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"State eq {"Running"}")).ToListAsync();

        var row = Assert.Single(running);
        Assert.Equal(TableGrainStorage.RowKeyFor("running-1"), row.RowKey);
        Assert.Equal(5L, row.GetInt64("Cycles"));
        Assert.Equal("engine", row.GetString("GrainType"));
        Assert.NotNull(row.GetDateTimeOffset("UpdatedAt"));
        Assert.False(row.ContainsKey("Missing"));
    }

    [Fact]
    public async Task Large_state_is_split_across_data_columns_and_round_trips()
    {
        var grain = Grain("large");
        var payload = new byte[300 * 1024];
        Random.Shared.NextBytes(payload);

        await _storage.WriteStateAsync(StateName, grain, new GrainState<TestEngineState>(new TestEngineState { Payload = payload }));
        var read = await ReadAsync(grain);

        Assert.Equal(payload, read.State!.Payload);
        var row = (await (await _tables.GetAsync(TableGrainStorage.TableName)).GetEntityAsync<TableEntity>(StateName, TableGrainStorage.RowKeyFor("large"))).Value;
        Assert.NotNull(row.GetBinary("Data1"));
        Assert.NotNull(row.GetBinary("Data5"));
        Assert.False(row.ContainsKey("Data"));
    }

    [Fact]
    public async Task State_too_large_for_one_row_is_refused_with_a_clear_message()
    {
        var state = new GrainState<TestEngineState>(new TestEngineState { Payload = new byte[1024 * 1024] });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _storage.WriteStateAsync(StateName, Grain("huge"), state));

        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public async Task Grain_keys_with_characters_not_allowed_in_row_keys_round_trip()
    {
        const string key = "binance/spot#1?a\\b%c'd~e\u0001f";
        var grain = Grain(key);
        await _storage.WriteStateAsync(StateName, grain, new GrainState<TestEngineState>(new TestEngineState { Name = key }));

        Assert.Equal(key, (await ReadAsync(grain)).State!.Name);
        var table = await _tables.GetAsync(TableGrainStorage.TableName);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>(StateName, TableGrainStorage.RowKeyFor(key))).HasValue);
    }

    [Theory]
    [InlineData("plain-key")]
    [InlineData("a/b")]
    [InlineData("a~2Fb")]
    [InlineData("~~/\\#?%'\u0000\u007f\u009f")]
    public void Row_key_escaping_is_reversible_and_keeps_only_allowed_characters(string key)
    {
        var rowKey = TableGrainStorage.RowKeyFor(key);

        Assert.Equal(key, TableKeys.Unescape(rowKey));
        Assert.DoesNotContain(rowKey, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void Row_key_escaping_keeps_distinct_keys_distinct()
    {
        Assert.NotEqual(TableGrainStorage.RowKeyFor("a/b"), TableGrainStorage.RowKeyFor("a~2Fb"));
    }

    [Fact]
    public async Task State_is_durable_across_storage_instances_and_an_azurite_restart()
    {
        var grain = Grain("durable");
        var written = new GrainState<TestEngineState>(new TestEngineState { Generation = 42 });
        await _storage.WriteStateAsync(StateName, grain, written);

        await _azurite.StopAsync();
        await _azurite.StartAsync();
        var restartedSilo = NewStorage(_azurite.NewTables(_tables.NameOf("")));
        var read = new GrainState<TestEngineState>(new TestEngineState());
        await restartedSilo.ReadStateAsync(StateName, grain, read);

        Assert.Equal(42, read.State!.Generation);
        Assert.Equal(written.ETag, read.ETag);
    }

    private static TableGrainStorage NewStorage(CtsTables tables) =>
        new("test", tables, Serializer, TimeProvider.System, NullLogger<TableGrainStorage>.Instance);

    private static GrainId Grain(string key) => GrainId.Create("engine", key);

    private async Task<GrainState<TestEngineState>> ReadAsync(GrainId grain)
    {
        var state = new GrainState<TestEngineState>(new TestEngineState());
        await _storage.ReadStateAsync(StateName, grain, state);
        return state;
    }
}
