using Microsoft.Extensions.Logging;

namespace VerticalFL.Host.Serving;

/// <summary>The host's serving log lines (never an id: those go to the audit file as keyed hashes).</summary>
internal static partial class ServingLog
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob} loaded for guest {Guest}: {Rows} rows")]
    public static partial void Loaded(ILogger logger, string name, string modelJob, string guest, int rows);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob} unloaded by guest {Guest}")]
    public static partial void Unloaded(ILogger logger, string name, string modelJob, string guest);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob}: data file changed, {Rows} rows reloaded")]
    public static partial void Reloaded(ILogger logger, string name, string modelJob, int rows);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob}: the changed data file could not be loaded, the previous rows keep serving: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string name, string modelJob, string reason);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Serving: {File} could not be restored: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "reason shared with other parties only as {Reference}: {Details}")]
    public static partial void DataError(ILogger logger, string reference, string details);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "Serving: guest {Guest} refused: {Reason}")]
    public static partial void Limited(ILogger logger, string guest, string reason);
}
