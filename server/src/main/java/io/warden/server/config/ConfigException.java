package io.warden.server.config;

/** A configuration mistake, naming the field at fault; start-up stops with its message. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
