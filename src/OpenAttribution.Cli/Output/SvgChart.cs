using System.Globalization;
using System.Security;
using OpenAttribution.Core.Evaluation;

namespace OpenAttribution.Cli.Output;

/// <summary>
/// Draws an evaluation as a self-contained SVG: per channel, the true share (black) beside every
/// model's share; below, each model's error, best first. No fonts or libraries needed to draw it.
/// </summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Left = 170;
    private const int Right = 60;
    private const int Bar = 9;
    private const int Gap = 14;

    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static void Write(TextWriter w, ModelEvaluation evaluation)
    {
        var channels = evaluation.Channels;
        var scores = evaluation.Scores;
        var series = scores.Count + 1;
        var group = (series * Bar) + Gap;
        var legendTop = 40;
        var sharesTop = legendTop + 24 + (((series + 3) / 4) * 18);
        var errorsTop = sharesTop + (channels.Count * group) + 60;
        var height = errorsTop + 30 + (scores.Count * (Bar + 8)) + 30;
        var plot = Width - Left - Right;
        var maxShare = Math.Max(evaluation.TrueShares.DefaultIfEmpty(0).Max(), scores.SelectMany(s => s.Shares).DefaultIfEmpty(0).Max());
        maxShare = maxShare <= 0 ? 1 : maxShare;
        var maxError = Math.Max(scores.Select(s => s.Error).DefaultIfEmpty(0).Max(), 1e-9);

        w.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        w.WriteLine($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>");
        Text(w, 20, 24, "Credit share by channel: truth and models", "bold", 15);

        // Legend: truth, then the models best first.
        for (var s = 0; s < series; s++)
        {
            var x = 20 + (s % 4 * 230);
            var y = legendTop + (s / 4 * 18);
            w.WriteLine($"<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{Colour(s)}\"/>");
            Text(w, x + 18, y + 10, s == 0 ? "truth" : $"{s}. {scores[s - 1].Model} (error {EvaluationWriter.Error(scores[s - 1].Error)})");
        }

        for (var k = 0; k < channels.Count; k++)
        {
            var top = sharesTop + (k * group);
            Text(w, Left - 8, top + (series * Bar / 2) + 4, channels[k], anchor: "end");
            for (var s = 0; s < series; s++)
            {
                var share = s == 0 ? evaluation.TrueShares[k] : scores[s - 1].Shares[k];
                var length = share / maxShare * plot;
                var y = top + (s * Bar);
                w.WriteLine($"<rect x=\"{Left}\" y=\"{y}\" width=\"{Num(length)}\" height=\"{Bar - 1}\" fill=\"{Colour(s)}\"><title>{Escape(s == 0 ? "truth" : scores[s - 1].Model)}: {EvaluationWriter.Percent(share)}</title></rect>");
                if (s == 0)
                {
                    Text(w, Left + length + 4, y + Bar - 1, EvaluationWriter.Percent(share), size: 10);
                }
            }
        }

        w.WriteLine($"<line x1=\"{Left}\" y1=\"{sharesTop - 4}\" x2=\"{Left}\" y2=\"{errorsTop - 50}\" stroke=\"#444\"/>");
        Text(w, 20, errorsTop, "Error by model (total absolute difference of shares; lower is better)", "bold", 15);
        for (var m = 0; m < scores.Count; m++)
        {
            var y = errorsTop + 20 + (m * (Bar + 8));
            var length = scores[m].Error / maxError * plot * 0.9;
            Text(w, Left - 8, y + Bar, $"{m + 1}. {scores[m].Model}", anchor: "end");
            w.WriteLine($"<rect x=\"{Left}\" y=\"{y}\" width=\"{Num(length)}\" height=\"{Bar + 2}\" fill=\"{Colour(m + 1)}\"/>");
            Text(w, Left + length + 4, y + Bar, EvaluationWriter.Error(scores[m].Error), size: 11);
        }

        w.WriteLine("</svg>");
    }

    private static string Colour(int series) => series == 0 ? "#000000" : Palette[(series - 1) % Palette.Length];

    private static void Text(TextWriter w, double x, double y, string text, string weight = "normal", int size = 12, string anchor = "start") =>
        w.WriteLine($"<text x=\"{Num(x)}\" y=\"{Num(y)}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"{anchor}\">{Escape(text)}</text>");

    private static string Escape(string s) => SecurityElement.Escape(s) ?? string.Empty;

    private static string Num(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
}
