namespace Cts.Functions.Storage;

/// <summary>Where CTS keeps its durable data: the <c>Storage</c> configuration section (SPEC §7).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> is Azurite on its default ports.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Prefix of every table and blob container name, so tests and environments can share an account.</summary>
    public string Prefix { get; set; } = "cts";

    /// <summary>
    /// How often each node probes storage with one small write (<see cref="StorageWatch"/>), so its engines know at once
    /// when their state cannot be persisted, however rarely they write themselves.
    /// </summary>
    public int ProbeSeconds { get; set; } = 1;
}
