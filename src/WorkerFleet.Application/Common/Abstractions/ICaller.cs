namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Who sends the current request, as journal events and the override of mass-failure protection name it:
/// the credential it used by kind and name ("admin key ops") or the worker itself, never a secret. The host provides it; a host
/// that provides none is named "host".</summary>
public interface ICaller
{
    /// <summary>The caller's name.</summary>
    string Name { get; }
}

internal sealed class HostCaller : ICaller
{
    public string Name => "host";
}
