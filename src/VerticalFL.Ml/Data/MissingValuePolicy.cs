namespace VerticalFL.Ml.Data;

/// <summary>What to do with an empty cell in a feature column.</summary>
public enum MissingValuePolicy
{
    /// <summary>Replace it with the column mean of the present values, and count it.</summary>
    Mean,
    /// <summary>Refuse the file, naming file:line:column.</summary>
    Error,
}
