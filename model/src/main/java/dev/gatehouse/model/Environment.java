package dev.gatehouse.model;

import java.util.Locale;

/** Where an API revision is deployed. Each environment has its own gateway listener. */
public enum Environment {
    DEVELOPMENT(KeyType.SANDBOX),
    PRODUCTION(KeyType.PRODUCTION);

    private final KeyType acceptedKeyType;

    Environment(KeyType acceptedKeyType) {
        this.acceptedKeyType = acceptedKeyType;
    }

    /** Production credentials reach production only; sandbox credentials reach development only. */
    public KeyType acceptedKeyType() {
        return acceptedKeyType;
    }

    /** The lower-case name used in URLs, JSON and configuration: {@code development}, {@code production}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Environment fromWireName(String name) {
        for (Environment environment : values()) {
            if (environment.wireName().equals(name)) {
                return environment;
            }
        }
        throw new IllegalArgumentException("unknown environment '" + name + "' (expected development or production)");
    }
}
