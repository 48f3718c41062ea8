namespace OpenAttribution.Core.Models;

/// <summary>
/// A model refuses its input for a reason the user can act on: time decay over a path table (no
/// timestamps), a path table with negative counts, ROI by a dimension costs are not kept by, Markov's
/// order chosen without non-converting journeys. Hosts show the message as the user's error (the CLI's
/// exit code 2, the server's 400); any other exception from a model is a fault of the program.
/// </summary>
public sealed class ModelInputException : Exception
{
    public ModelInputException(string message)
        : base(message)
    {
    }

    public ModelInputException()
    {
    }

    public ModelInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
