using VerticalFL.Ml.Data;

namespace VerticalFL.Cli;

/// <summary>The CLI's contract: 0 success, 1 the job failed, 2 bad usage or bad input.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int JobFailed = 1;
    public const int BadInput = 2;

    /// <summary>Runs a command and turns the exceptions users can cause into a one-line error and an exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (JobFailedException e)
        {
            Console.Error.WriteLine($"job failed: {e.Message}");
            return JobFailed;
        }
    }
}

/// <summary>A job ran and failed for a reason worth printing (not a crash).</summary>
internal sealed class JobFailedException(string message, Exception? inner = null) : Exception(message, inner);
