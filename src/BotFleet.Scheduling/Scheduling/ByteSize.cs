using System.Globalization;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>Sizes in messages people read: "512 bytes", "1 MiB", "3.2 MiB".</summary>
internal static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        < 1_024 => $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes",
        < 1_024 * 1_024 => Unit(bytes / 1_024.0, "KiB"),
        < 1_024L * 1_024 * 1_024 => Unit(bytes / (1_024.0 * 1_024), "MiB"),
        _ => Unit(bytes / (1_024.0 * 1_024 * 1_024), "GiB"),
    };

    private static string Unit(double value, string unit) => $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {unit}";
}
