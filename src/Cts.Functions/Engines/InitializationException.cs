namespace Cts.Functions.Engines;

/// <summary>
/// The engine cannot start with its configuration (connection or preset missing). Sends the engine to Error with
/// the message; retrying cannot help until an operator fixes the configuration.
/// </summary>
public sealed class InitializationException(string message) : Exception(message);
