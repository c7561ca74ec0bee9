package io.stenographer.domain.event;

/** Where the event came from. Only {@code application} is required. */
public record Source(String application, String ip, String userAgent) {

    /** The source application of Stenographer's own events; ingest refuses it from any writer. */
    public static final String SERVICE = "stenographer";
    public static final int MAX_APPLICATION_LENGTH = 128;
    public static final int MAX_USER_AGENT_LENGTH = 512;

    public Source {
        application = Text.required("source.application", application, MAX_APPLICATION_LENGTH);
        if (ip != null && !IpAddresses.isLiteral(ip)) {
            throw new FieldViolation("source.ip", "must be an IPv4 or IPv6 address literal");
        }
        userAgent = Text.optional("source.userAgent", userAgent, MAX_USER_AGENT_LENGTH);
    }
}
