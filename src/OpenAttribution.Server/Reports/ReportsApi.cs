using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenAttribution.Core.Costs;
using OpenAttribution.Core.DataDriven;
using OpenAttribution.Core.Journeys;
using OpenAttribution.Core.Models;
using OpenAttribution.Core.Options;
using OpenAttribution.Core.Reports;
using OpenAttribution.Server.Http;
using OpenAttribution.Server.Workspaces;

namespace OpenAttribution.Server.Reports;

/// <summary>
/// <c>GET /v1/reports/*</c>: attribution, compare and paths with the CLI's options (read key). The
/// query is read on the request; the report itself runs on <see cref="ReportRunner"/>'s threads, with
/// its cap, queue and time limit.
/// </summary>
internal static class ReportsApi
{
    private static readonly string[] AttributionParameters = ["model", "roi", "currency", .. ReportQuery.JourneyParameters, .. ReportQuery.ModelParameters];
    private static readonly string[] CompareParameters = ["models", .. ReportQuery.JourneyParameters, .. ReportQuery.ModelParameters];
    private static readonly string[] PathsParameters = ["top", .. ReportQuery.JourneyParameters];

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/reports").WithTags("Reports");
        group.MapGet("/attribution", Attribution)
            .WithName("AttributionReport")
            .WithSummary("One model's credit per channel, source, medium or campaign (read key)")
            .WithDescription("Query: model (default last-touch; markov-K names the order), by, lookback, conversion, from, to (yyyy-MM-dd), half-life, position, order, reset-on-conversion, roi (adds cost, ROAS and CPA from the workspace's costs; by channel or campaign), currency (the costs' currency to use when they have several).");
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

    internal static async Task<Results<Ok<AttributionResponse>, ValidationProblem, ProblemHttpResult>> Attribution(
        HttpContext context, WorkspaceDirectory directory, ReportRunner runner, IOptions<ServerOptions> options)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Read, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new ReportQuery(context.Request.Query, AttributionParameters);
            var dimension = query.Dimension();
            var model = query.Model(query.Text("model") ?? "last-touch", "model") with { MaxWork = options.Value.MaxMarkovWork };
            var journeyOptions = query.Journeys();
            var roi = query.Flag("roi");
            var currency = query.Text("currency");
            if (currency is not null && (!roi || currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
            {
                throw new OptionException("currency", currency, roi ? "not a currency code; use three letters, e.g. EUR" : "only with roi=true");
            }

            var (from, to) = (query.Day("from"), query.Day("to"));
            var (outcome, response) = await runner.RunAsync(
                token =>
                {
                    var result = Run(() => Attribute(workspace, journeyOptions, [model], dimension, token)[0], "model", model.Name);
                    if (!roi)
                    {
                        return AttributionResponse.From(result, null, null);
                    }

                    var costs = workspace.Store.ReadCosts();
                    var chosen = RunRoi(() => RoiReport.Currency(costs, from, to, currency));
                    return AttributionResponse.From(result, RunRoi(() => RoiReport.Build(result, costs, from, to, chosen)), chosen);
                },
                context.RequestAborted);
            return outcome == ReportOutcome.Done ? TypedResults.Ok(response!) : Refused(context, outcome, runner);
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    internal static async Task<Results<Ok<CompareResponse>, ValidationProblem, ProblemHttpResult>> Compare(
        HttpContext context, WorkspaceDirectory directory, ReportRunner runner, IOptions<ServerOptions> options)
    {
        if (ApiKeyAuth.Authenticate(context, directory, KeyRole.Read, out var workspace) is { } denied)
        {
            return denied;
        }

        try
        {
            var query = new ReportQuery(context.Request.Query, CompareParameters);
            var dimension = query.Dimension();
            var names = query.Text("models") ?? ReportOptionParser.DefaultModels;
            var models = ReportOptionParser.Models(names, name => query.Model(name, "models") with { MaxWork = options.Value.MaxMarkovWork });
            var journeyOptions = query.Journeys();
            var (outcome, response) = await runner.RunAsync(
                token => CompareResponse.From(new ModelComparison(Run(() => Attribute(workspace, journeyOptions, models, dimension, token), "models", names)), dimension),
                context.RequestAborted);
            return outcome == ReportOutcome.Done ? TypedResults.Ok(response!) : Refused(context, outcome, runner);
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    internal static async Task<Results<Ok<PathsResponse>, ValidationProblem, ProblemHttpResult>> Paths(HttpContext context, WorkspaceDirectory directory, ReportRunner runner)
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
            var by = query.Text("by") ?? "channel";
            var (outcome, response) = await runner.RunAsync(
                token =>
                {
                    var report = Run(
                        () => workspace.Paths(journeyOptions, top, dimension, token),
                        "by",
                        by);
                    return PathsResponse.From(report, dimension);
                },
                context.RequestAborted);
            return outcome == ReportOutcome.Done ? TypedResults.Ok(response!) : Refused(context, outcome, runner);
        }
        catch (OptionException ex)
        {
            return Invalid(ex);
        }
    }

    /// <summary>The models' credit over the workspace's journeys (<see cref="Workspace.Attribute"/>).</summary>
    private static IReadOnlyList<AttributionResult> Attribute(
        Workspace workspace, JourneyOptions options, IReadOnlyList<ModelSpec> models, Dimension dimension, CancellationToken cancellationToken) =>
        workspace.Attribute(options, models, dimension, cancellationToken);

    /// <summary>
    /// Runs a report; a model's refusal of its input (a <see cref="ModelInputException"/>, or Markov over
    /// too large a chain) becomes a bad value of <paramref name="option"/>. Anything else, a failure of the
    /// store or a fault of the program, is not the caller's: it stays a server error.
    /// </summary>
    private static T Run<T>(Func<T> work, string option, string value)
    {
        try
        {
            return work();
        }
        catch (MarkovTooLargeException ex)
        {
            throw new OptionException(option, value, ex.Message + "; ask for Markov by a dimension with fewer keys (by=channel, source or medium), or raise the server's maxMarkovWork setting");
        }
        catch (ModelInputException ex)
        {
            throw new OptionException(option, value, ex.Message);
        }
    }

    /// <summary>503 for a report refused for load (with Retry-After) or stopped at the time limit.</summary>
    private static ProblemHttpResult Refused(HttpContext context, ReportOutcome outcome, ReportRunner runner)
    {
        if (outcome == ReportOutcome.Busy)
        {
            context.Response.Headers.RetryAfter = "2";
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Too many reports",
                "The server is computing as many reports as it takes at once and has as many waiting; retry after 2 seconds.");
        }

        var seconds = runner.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Report time limit",
            $"The report was stopped after {seconds} s (the server's reportTimeoutSeconds); ask for a narrower one (from/to, fewer models, by channel) or raise the limit.");
    }

    /// <summary>
    /// Builds the ROI rows; their refusals become a bad value of <c>roi</c> (ROI by medium) or of
    /// <c>currency</c> (costs in several currencies and none chosen).
    /// </summary>
    private static T RunRoi<T>(Func<T> work)
    {
        try
        {
            return Run(work, "roi", "true");
        }
        catch (RoiCurrencyException ex)
        {
            throw new OptionException("currency", string.Empty, ex.Message + "; choose one with " + string.Join(" or ", ex.Currencies.Select(c => "currency=" + c)));
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionException("roi", "true", ex.Message);
        }
    }

    private static ValidationProblem Invalid(OptionException ex) =>
        Problems.Field(ex.Option, ex.Value.Length == 0 ? $"{ex.Option}: {ex.Reason}" : $"{ex.Option} '{ex.Value}': {ex.Reason}");
}
