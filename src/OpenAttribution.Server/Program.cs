using OpenAttribution.Server;

var app = ServerApp.Build(args);
app.Run();

/// <summary>The server's entry point (<c>WebApplicationFactory&lt;Program&gt;</c> starts it in tests).</summary>
public partial class Program;
