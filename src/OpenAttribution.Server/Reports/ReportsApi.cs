using Microsoft.AspNetCore.Http.HttpResults;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;
using OpenAttribution.Core.Reports;
using OpenAttribution.Server.Http;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Reports;

/// <summary><c>GET /v1/reports/*</c>: attribution, compare and paths with the CLI's options (read key).</summary>
internal static class ReportsApi
{
    private static readonly string[] AttributionParameters = ["model", "roi", .. ReportQuery.JourneyParameters, .. ReportQuery.ModelParameters];
    private static readonly string[] CompareParameters = ["models", .. ReportQuery.JourneyParameters, .. ReportQuery.ModelParameters];
    private static readonly string[] PathsParameters = ["top", .. ReportQuery.JourneyParameters];

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reports").WithTags("Reports");
        group.MapGet("/attribution", Attribution)
            .WithName("AttributionReport")
            .WithSummary("One model's credit per channel, source, medium or campaign (read key)")
            .WithDescription("Query: model (default last-touch; markov-K names the order), by, lookback, conversion, from, to (yyyy-MM-dd), half-life, position, order, reset-on-conversion, roi (adds cost, ROAS and CPA from the workspace's costs; by channel or campaign).");
        group.MapGet("/compare", Compare)
            .WithName("CompareReport")
            .WithSummary("Several models side by side (read key)")
            .WithDescription("Query: models=a,b,c (the first is the baseline) and the options of the attribution report.");
        group.MapGet("/paths", Paths)
            .WithName("PathsReport")
            .WithSummary("Top conversion paths, path lengths, time lags, assisted conversions (read key)")
            .WithDescription("Query: top (default 20), by, lookback, conversion, from, to, reset-on-conversion.");
        return app;
    }

    internal static Results<Ok<AttributionResponse>, ValidationProblem, ProblemHttpResult> Attribution(HttpContext context, WorkspaceDirectory directory)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Read, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new ReportQuery(context.Request.Query, AttributionParameters);
            var dimension = query.Dimension();
            var model = query.Model(query.Text("model") ?? "last-touch", "model");
            var journeyOptions = query.Journeys();
            var roi = query.Flag("roi");
            var result = Run(() => Attribute(workspace, journeyOptions, [model], dimension, context.RequestAborted)[0], "model", model.Name);
            var roiRows = roi ? RunRoi(() => RoiReport.Build(result, workspace.Store.ReadCosts(), query.Day("from"), query.Day("to"))) : null;
            return TypedResults.Ok(AttributionResponse.From(result, roiRows));
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    internal static Results<Ok<CompareResponse>, ValidationProblem, ProblemHttpResult> Compare(HttpContext context, WorkspaceDirectory directory)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Read, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new ReportQuery(context.Request.Query, CompareParameters);
            var dimension = query.Dimension();
            var models = ReportOptionParser.Models(query.Text("models") ?? ReportOptionParser.DefaultModels, name => query.Model(name, "models"));
            var journeyOptions = query.Journeys();
            var results = Run(() => Attribute(workspace, journeyOptions, models, dimension, context.RequestAborted), "models", query.Text("models") ?? ReportOptionParser.DefaultModels);
            return TypedResults.Ok(CompareResponse.From(new ModelComparison(results), dimension));
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    internal static Results<Ok<PathsResponse>, ValidationProblem, ProblemHttpResult> Paths(HttpContext context, WorkspaceDirectory directory)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Read, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new ReportQuery(context.Request.Query, PathsParameters);
            var dimension = query.Dimension();
            var top = query.Integer("top", 20);
            if (top is < 1 or > 10_000)
            {
                throw new OptionException("top", query.Text("top")!, "must be between 1 and 10000");
            }

            var journeyOptions = query.Journeys();
            var report = Run(
                () =>
                {
                    var paths = new PathReportAccumulator(top, dimension);
                    workspace.Journeys(journeyOptions, paths.Add, context.RequestAborted);
                    return paths.Build();
                },
                "by",
                query.Text("by") ?? "channel");
            return TypedResults.Ok(PathsResponse.From(report, dimension));
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    /// <summary>The models' credit over the workspace's journeys, folded batch by batch as they stream.</summary>
    private static IReadOnlyList<AttributionResult> Attribute(
        Workspace workspace, JourneyOptions options, IReadOnlyList<ModelSpec> models, Dimension dimension, CancellationToken cancellationToken)
    {
        var accumulator = new AttributionAccumulator(models, dimension);
        workspace.Journeys(options, accumulator.Add, cancellationToken);
        return accumulator.Results();
    }

    /// <summary>
    /// Runs a report; a model's refusal of its input (an <see cref="ArgumentException"/>) becomes a bad
    /// value of <paramref name="option"/>. A failure of the store is not the caller's: it stays a server error.
    /// </summary>
    private static T Run<T>(Func<T> work, string option, string value)
    {
        try
        {
            return work();
        }
        catch (ArgumentException ex)
        {
            throw new OptionException(option, value, ex.MessageWithoutParameter());
        }
    }

    /// <summary>Builds the ROI rows; their refusals (ROI by medium, costs in several currencies) become a bad value of <c>roi</c>.</summary>
    private static T RunRoi<T>(Func<T> work)
    {
        try
        {
            return Run(work, "roi", "true");
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionException("roi", "true", ex.Message);
        }
    }

    private static ValidationProblem Invalid(OptionException ex) => Problems.Field(ex.Option, $"{ex.Option} '{ex.Value}': {ex.Reason}");
}
