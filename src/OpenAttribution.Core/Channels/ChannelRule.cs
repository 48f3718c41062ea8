namespace OpenAttribution.Core.Channels;

/// <summary>One rule: the channel a touch gets when the condition holds.</summary>
internal sealed record ChannelRule(string Channel, Condition Condition);
