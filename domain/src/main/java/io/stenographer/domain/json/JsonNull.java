package io.stenographer.domain.json;

/** The JSON null. */
public enum JsonNull implements JsonValue {
    INSTANCE;

    @Override
    public int depth() {
        return 0;
    }
}
