namespace VerticalFL.Storage.Sql;

/// <summary>One convention for stored times: UTC, truncated to microseconds (MySQL's DATETIME(6)).</summary>
internal static class Timestamps
{
    /// <summary>Converts to UTC (unspecified kinds are taken as UTC) and drops sub-microsecond ticks.</summary>
    public static DateTime Normalize(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>A time read back from either dialect (providers return unspecified kinds).</summary>
    public static DateTime FromStore(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
