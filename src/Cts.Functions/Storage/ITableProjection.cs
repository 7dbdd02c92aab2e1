namespace Cts.Functions.Storage;

/// <summary>
/// Implemented by a grain state type that wants some of its values stored as plain, queryable table columns
/// next to the serialized state.
/// </summary>
/// <remarks>
/// <see cref="TableGrainStorage"/> stores the state as an opaque binary blob, which only the grain can read.
/// Other components (dashboards, the API listing engines, operators in Storage Explorer) need to find grains
/// by a few facts without activating them, e.g. every engine whose <c>State</c> is <c>Running</c>. Projected
/// columns make that a server-side table filter instead of activating every grain. They are a read model only:
/// the serialized state stays the source of truth and is all that is read back.
/// </remarks>
public interface ITableProjection
{
    /// <summary>
    /// The columns to write with the state: names must be valid table property names and must not clash with
    /// the storage's own columns (<c>Data*</c>, <c>GrainType</c>, <c>UpdatedAt</c>); values must be
    /// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="bool"/>,
    /// <see cref="DateTimeOffset"/>, <see cref="double"/> or <see langword="null"/> (column omitted).
    /// </summary>
    IReadOnlyDictionary<string, object?> ProjectColumns();
}
