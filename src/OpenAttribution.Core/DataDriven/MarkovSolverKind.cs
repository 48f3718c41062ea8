namespace OpenAttribution.Core.DataDriven;

/// <summary>How the absorbing-chain systems are solved. Both are exact to rounding.</summary>
internal enum MarkovSolverKind
{
    /// <summary>Pick the cheaper of the two from the size of the chain.</summary>
    Auto,

    /// <summary>Dense GTH state elimination, shared across removals by divide and conquer.</summary>
    Elimination,

    /// <summary>Sparse Gauss-Seidel on the recurrent states, iterated to a floating-point fixed point.</summary>
    GaussSeidel,
}
