package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gateway's own RFC 7239 {@code Forwarded} element, as section 4 and 6 of the RFC spell it. */
class ForwardedElementTest {

    @Test
    void ipv4Caller_isAToken_andTheHostIsQuoted() {
        assertThat(Forwarder.forwardedElement("192.0.2.60", "api.example.com:8280", "http"))
                .isEqualTo("for=192.0.2.60;host=\"api.example.com:8280\";proto=http");
    }

    @Test
    void ipv6Caller_isBracketedAndQuoted() {
        assertThat(Forwarder.forwardedElement("2001:db8:cafe::17", "api.example.com", "https"))
                .isEqualTo("for=\"[2001:db8:cafe::17]\";host=\"api.example.com\";proto=https");
    }

    @Test
    void quotesAndBackslashesInTheHost_areEscaped_andMissingPartsLeftOut() {
        assertThat(Forwarder.forwardedElement(null, "a\"b\\c", "http")).isEqualTo("host=\"a\\\"b\\\\c\";proto=http");
        assertThat(Forwarder.forwardedElement(null, null, "http")).isEqualTo("proto=http");
    }
}
