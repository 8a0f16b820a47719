using Microsoft.Extensions.Logging;

namespace VerticalFL.Guest.Serving;

/// <summary>The guest's serving log lines (never a customer id).</summary>
internal static partial class ServingLog
{
    [LoggerMessage(EventId = 651, Level = LogLevel.Warning, Message = "Serving {Name}: version {ModelJob} active (replaced {Previous})")]
    public static partial void Deployed(ILogger logger, string name, string modelJob, string previous);

    [LoggerMessage(EventId = 652, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob}: {Host} did not unload it: {Reason}")]
    public static partial void UnloadFailed(ILogger logger, string name, string modelJob, string host, string reason);

    [LoggerMessage(EventId = 653, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob} could not be restored: {Reason}")]
    public static partial void RestoreFailed(ILogger logger, string name, string modelJob, string reason);

    [LoggerMessage(EventId = 654, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob}: data file changed, {Rows} rows reloaded")]
    public static partial void Reloaded(ILogger logger, string name, string modelJob, int rows);

    [LoggerMessage(EventId = 655, Level = LogLevel.Warning, Message = "Serving {Name} version {ModelJob}: the changed data file could not be loaded, the previous rows keep serving: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string name, string modelJob, string reason);
}
