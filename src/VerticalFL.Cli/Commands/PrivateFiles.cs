using System.Runtime.InteropServices;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// A party's files hold its customers' ids, rows, scores and its model: everything `vfl party` creates (work-dir
/// outputs, the SQLite store) is readable by its own user only (umask 077: files 0600, directories 0700).
/// </summary>
internal static partial class PrivateFiles
{
    public static void Apply()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Umask(Convert.ToUInt32("077", 8));
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
