using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAttribution.Server.Costs;
using OpenAttribution.Server.Ingestion;
using OpenAttribution.Server.Reports;
using OpenAttribution.Server.Web;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server;

/// <summary>Builds the server: the API (spec section 8), its OpenAPI document, the dashboard and the tracker.</summary>
internal static class ServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkspaceDirectory>();
        builder.Services.AddSingleton<ReportRunner>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddCors(o => o.AddPolicy(EventsApi.TrackerCors, p => p.AllowAnyOrigin().WithMethods("POST").WithHeaders("Authorization", "Content-Type")));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.MapOpenApi();
        app.MapEventsApi();
        app.MapCostsApi();
        app.MapReportsApi();
        app.MapWorkspaceApi();
        app.MapWebAssets();

        // Opens the store and checks the report settings at start, so a bad --store or setting fails
        // the start instead of the first request.
        app.Services.GetRequiredService<WorkspaceDirectory>();
        app.Services.GetRequiredService<ReportRunner>();
        return app;
    }
}
