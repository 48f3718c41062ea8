namespace OpenAttribution.Core.Evaluation;

/// <summary>
/// One model against the truth: its share of the conversions per channel (in the order of
/// <see cref="ModelEvaluation.Channels"/>), its credited conversions, and its error: the total
/// absolute difference between its shares and the true shares (0 = exact, 2 = nothing right;
/// half of it is the share of conversions credited to the wrong channels).
/// </summary>
public sealed record ModelScore(string Model, double[] Shares, double[] Conversions, double Error);
