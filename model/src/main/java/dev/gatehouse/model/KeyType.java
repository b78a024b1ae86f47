package dev.gatehouse.model;

import java.util.Locale;

/** The kind of an application's credentials: production keys or sandbox keys. */
public enum KeyType {
    PRODUCTION,
    SANDBOX;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyType fromWireName(String name) {
        for (KeyType keyType : values()) {
            if (keyType.wireName().equals(name)) {
                return keyType;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "' (expected production or sandbox)");
    }
}
