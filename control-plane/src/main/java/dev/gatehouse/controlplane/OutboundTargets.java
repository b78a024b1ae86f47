package dev.gatehouse.controlplane;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where the control plane may fetch what its users point it at (OpenAPI documents, identity providers' discovery
 * documents and key sets): http or https, to a host none of whose addresses is link-local (where clouds answer with
 * instance credentials: 169.254.169.254, fd00:ec2::254), unspecified or multicast. The organization's own networks
 * stay reachable, since identity providers and API catalogs live there. Redirects are not followed blindly: callers
 * check every hop. A name that resolves differently between this check and the connection (DNS rebinding) is not
 * caught; a deployment that must rule it out gives the control plane an egress proxy.
 */
final class OutboundTargets {

    private static final String AWS_IPV6_METADATA = "fd00:ec2:0:0:0:0:0:254";

    private OutboundTargets() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the target, for the field that named it */
    static void check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the host " + uri.getHost() + " is unknown");
        }
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                    || address.getHostAddress().equalsIgnoreCase(AWS_IPV6_METADATA)) {
                throw new IllegalArgumentException("nothing is fetched from " + address.getHostAddress());
            }
        }
    }
}
