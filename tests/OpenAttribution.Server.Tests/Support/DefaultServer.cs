namespace OpenAttribution.Server.Tests.Support;

/// <summary>One in-memory server shared by a test class; each test makes its own workspaces.</summary>
public sealed class DefaultServer : IDisposable
{
    internal ServerFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
