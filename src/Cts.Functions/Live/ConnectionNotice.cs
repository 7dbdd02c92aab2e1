namespace Cts.Functions.Live;

/// <summary>The data of a <c>connection-created</c> or <c>connection-deleted</c> event.</summary>
[GenerateSerializer, Immutable]
public sealed record ConnectionNotice([property: Id(0)] string Id);
