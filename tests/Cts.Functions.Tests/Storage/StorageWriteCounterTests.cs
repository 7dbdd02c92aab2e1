using Cts.Functions.Storage;

namespace Cts.Functions.Tests.Storage;

public sealed class StorageWriteCounterTests
{
    [Theory]
    [InlineData("/devstoreaccount1/ctsgrainstate(PartitionKey='engine',RowKey='a')", "grainstate")]
    [InlineData("/ctsaudit", "audit")]
    [InlineData("/devstoreaccount1/$batch", "batch")]
    [InlineData("/devstoreaccount1/Tables", "tables")]
    [InlineData("/devstoreaccount1/othertable()", "othertable")]
    public void Writes_are_counted_by_the_logical_table_name(string path, string table) =>
        Assert.Equal(table, StorageWriteCounter.TableOf(path, "cts"));
}
