package dev.gatehouse.model.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The wire and disk form of a {@link GatewaySnapshot}, and the wire form of a {@link SnapshotDelta}: JSON, with the records' component names as keys and
 * durations in ISO-8601 ({@code PT1M}). Fields a
 * reader does not know are skipped, so a gateway keeps working while a newer control plane adds to snapshots.
 */
public final class SnapshotCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SnapshotCodec() {
    }

    public static byte[] encode(GatewaySnapshot snapshot) {
        try {
            return JSON.writeValueAsBytes(snapshot);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(SnapshotDelta delta) {
        try {
            return JSON.writeValueAsBytes(delta);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a snapshot delta */
    public static SnapshotDelta decodeDelta(byte[] json) {
        try {
            return JSON.readValue(json, SnapshotDelta.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a snapshot delta: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a snapshot */
    public static GatewaySnapshot decode(byte[] json) {
        try {
            return JSON.readValue(json, GatewaySnapshot.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a gateway snapshot: " + e.getMessage(), e);
        }
    }
}
