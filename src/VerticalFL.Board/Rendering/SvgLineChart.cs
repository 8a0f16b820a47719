using System.Globalization;
using System.Text;

namespace VerticalFL.Board.Rendering;

/// <summary>A named line of (x, y) points.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart as inline SVG, drawn in C# (no script, no styles: colours are presentation attributes, so the strict
/// CSP allows them). Each series is one <c>polyline</c> carrying <c>data-series</c> and <c>data-points</c> so tests and
/// scripts can find it.
/// </summary>
internal sealed class SvgLineChart
{
    public const int Width = 560, Height = 280;
    private const int Left = 56, Right = 16, Top = 28, Bottom = 40;
    private static readonly string[] Colours = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df"];

    public required string Id { get; init; }
    public required string Title { get; init; }
    public string XLabel { get; init; } = "";
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    public double? XMin { get; init; }
    public double? XMax { get; init; }

    /// <summary>Drawn grey and dashed, without a legend entry (e.g. the ROC diagonal).</summary>
    public IReadOnlyList<(double X, double Y)>? Reference { get; init; }

    public string Render(IReadOnlyList<ChartSeries> series)
    {
        var drawn = series.Where(s => s.Points.Count > 0).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg id=\"{Html.Encode(Id)}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html.Encode(Title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\" fill=\"#24292f\">{Html.Encode(Title)}</text>");
        if (drawn.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#57606a\">no data recorded</text></svg>");
            return svg.ToString();
        }
        var scale = ChartScale.For(drawn.SelectMany(s => s.Points).Concat(Reference ?? []), XMin, XMax, YMin, YMax,
            new ChartArea(Left, Top, Width - Left - Right, Height - Top - Bottom));
        Axes(svg, scale);
        if (Reference is { Count: > 1 })
            svg.Append("<polyline class=\"reference\" fill=\"none\" stroke=\"#8c959f\" stroke-dasharray=\"4 4\" points=\"")
                .Append(Points(Reference, scale)).Append("\"/>");
        double legendX = Left;
        for (int i = 0; i < drawn.Count; i++)
        {
            string colour = Colours[i % Colours.Length];
            svg.Append(CultureInfo.InvariantCulture,
                $"<polyline data-series=\"{Html.Encode(drawn[i].Name)}\" data-points=\"{drawn[i].Points.Count}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"")
                .Append(Points(drawn[i].Points, scale)).Append("\"/>");
            // The legend runs along the bottom line, left of the axis label, clear of the curves.
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Html.Number(legendX)}\" y=\"{Height - 6}\" font-size=\"12\" fill=\"{colour}\">■ {Html.Encode(drawn[i].Name)}</text>");
            legendX += 24 + 7 * drawn[i].Name.Length;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private void Axes(StringBuilder svg, ChartScale scale)
    {
        var a = scale.Area;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{a.Left}\" y1=\"{a.Bottom}\" x2=\"{a.Right}\" y2=\"{a.Bottom}\" stroke=\"#57606a\"/><line x1=\"{a.Left}\" y1=\"{a.Top}\" x2=\"{a.Left}\" y2=\"{a.Bottom}\" stroke=\"#57606a\"/>");
        foreach (var (value, label) in new[] { (scale.YLow, scale.YLow), (scale.YHigh, scale.YHigh), ((scale.YLow + scale.YHigh) / 2, (scale.YLow + scale.YHigh) / 2) })
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{a.Left - 6}\" y=\"{Html.Number(scale.Y(value) + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">{Tick(label)}</text>");
        foreach (var value in new[] { scale.XLow, scale.XHigh })
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Html.Number(scale.X(value))}\" y=\"{a.Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">{Tick(value)}</text>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Html.Number(a.Right)}\" y=\"{Height - 6}\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">{Html.Encode(XLabel)}</text>");
    }

    private static string Tick(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Round(value) ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Points(IReadOnlyList<(double X, double Y)> points, ChartScale scale)
    {
        var text = new StringBuilder(points.Count * 12);
        foreach (var (x, y) in points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            if (text.Length > 0) text.Append(' ');
            text.Append(Html.Number(scale.X(x))).Append(',').Append(Html.Number(scale.Y(y)));
        }
        return text.ToString();
    }
}

/// <summary>The plotting rectangle, in SVG units.</summary>
internal readonly record struct ChartArea(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;
    public double Bottom => Top + Height;
}

/// <summary>Maps data to SVG coordinates: x grows rightwards, y upwards (SVG's y grows downwards).</summary>
internal sealed record ChartScale(double XLow, double XHigh, double YLow, double YHigh, ChartArea Area)
{
    public static ChartScale For(IEnumerable<(double X, double Y)> points, double? xMin, double? xMax, double? yMin, double? yMax, ChartArea area)
    {
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        double xl = xMin ?? (finite.Count > 0 ? finite.Min(p => p.X) : 0), xh = xMax ?? (finite.Count > 0 ? finite.Max(p => p.X) : 1);
        double yl = yMin ?? (finite.Count > 0 ? finite.Min(p => p.Y) : 0), yh = yMax ?? (finite.Count > 0 ? finite.Max(p => p.Y) : 1);
        // A flat series or a single point still gets a band to be drawn in.
        if (xh <= xl) xh = xl + 1;
        if (yh <= yl) { yl -= 0.5; yh += 0.5; }
        return new ChartScale(xl, xh, yl, yh, area);
    }

    public double X(double x) => Area.Left + (x - XLow) / (XHigh - XLow) * Area.Width;

    public double Y(double y) => Area.Bottom - (y - YLow) / (YHigh - YLow) * Area.Height;
}
