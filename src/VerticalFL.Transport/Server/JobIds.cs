using Google.Protobuf;

namespace VerticalFL.Transport.Server;

/// <summary>Reads a request's <c>job_id</c> field (any message that has one), for authorization.</summary>
internal static class JobIds
{
    public static string? Of(object request) =>
        request is IMessage message && message.Descriptor.FindFieldByName("job_id") is { FieldType: Google.Protobuf.Reflection.FieldType.String } field
            ? (string)field.Accessor.GetValue(message)
            : null;
}
