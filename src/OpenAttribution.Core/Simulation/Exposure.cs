namespace OpenAttribution.Core.Simulation;

/// <summary>
/// One scheduled exposure: its channel, time (seconds after the scenario start), its lift after
/// repeats, and the two uniforms drawn for it up front: <see cref="Fire"/> (it causes a conversion
/// when below <see cref="Lift"/>) and the conversion delay it would cause, in seconds.
/// </summary>
internal readonly record struct Exposure(int Channel, double Time, double Lift, double Fire, double Delay)
{
    public bool Fires => Fire < Lift;
}
