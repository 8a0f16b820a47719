using System.Globalization;
using System.Net;
using System.Text;

namespace VerticalFL.Board.Rendering;

/// <summary>
/// Builds an HTML document. Markup goes in through <see cref="Raw"/> only as literals written in this project;
/// every value (anything from the store or the request) goes through <see cref="Text"/> or an attribute helper,
/// which encode it.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _out = new(16 * 1024);

    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>Appends markup written in this project (never data).</summary>
    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    /// <summary>Appends text, encoded.</summary>
    public Html Text(string? value)
    {
        _out.Append(Encode(value));
        return this;
    }

    /// <summary><c>&lt;tag class="…"&gt;text&lt;/tag&gt;</c> with the text encoded.</summary>
    public Html Element(string tag, string? text, string? cssClass = null)
    {
        _out.Append('<').Append(tag);
        if (cssClass is not null) _out.Append(" class=\"").Append(Encode(cssClass)).Append('"');
        _out.Append('>').Append(Encode(text)).Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>A link with an encoded address and text.</summary>
    public Html Link(string href, string? text, string? id = null)
    {
        _out.Append("<a href=\"").Append(Encode(href)).Append('"');
        if (id is not null) _out.Append(" id=\"").Append(Encode(id)).Append('"');
        _out.Append('>').Append(Encode(text)).Append("</a>");
        return this;
    }

    /// <summary>A table row of encoded cells.</summary>
    public Html Row(params string?[] cells)
    {
        _out.Append("<tr>");
        foreach (var cell in cells) _out.Append("<td>").Append(Encode(cell)).Append("</td>");
        _out.Append("</tr>");
        return this;
    }

    /// <summary>A table header row.</summary>
    public Html HeaderRow(params string[] cells)
    {
        _out.Append("<tr>");
        foreach (var cell in cells) _out.Append("<th>").Append(Encode(cell)).Append("</th>");
        _out.Append("</tr>");
        return this;
    }

    /// <summary>A number for an attribute or SVG coordinate: invariant, 2 decimals.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public override string ToString() => _out.ToString();
}
