package dev.sluice.routing.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Resolves a host name to its addresses (A and/or AAAA), in the configured family order. */
final class HostResolver {

    /** A host's addresses, or why it has none. */
    record Addresses(String host, Answer.Status status, List<InetAddress> addresses, String detail) {
        boolean tempfail() {
            return status == Answer.Status.TEMPFAIL;
        }
    }

    private final DnsLookup lookup;
    private final AddressFamilies families;

    HostResolver(DnsLookup lookup, AddressFamilies families) {
        this.lookup = lookup;
        this.families = families;
    }

    CompletableFuture<Addresses> resolve(String host, Name name) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int type : families.types()) {
            answers.add(lookup.lookup(name, type));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> combine(host, answers.stream().map(CompletableFuture::join).toList()));
    }

    private static Addresses combine(String host, List<Answer> answers) {
        List<InetAddress> addresses = new ArrayList<>();
        Answer trouble = null;
        boolean nxdomain = false;
        for (Answer a : answers) {
            for (Record r : a.records()) {
                InetAddress address = r instanceof ARecord ar ? ar.getAddress()
                        : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                // Unusable addresses in a DNS answer would make the SMTP client connect somewhere absurd.
                if (address != null && !address.isAnyLocalAddress() && !address.isMulticastAddress()
                        && !addresses.contains(address)) {
                    addresses.add(address);
                }
            }
            if (a.status() == Answer.Status.TEMPFAIL && trouble == null) {
                trouble = a;
            }
            nxdomain |= a.status() == Answer.Status.NXDOMAIN;
        }
        if (!addresses.isEmpty()) {
            return new Addresses(host, Answer.Status.OK, addresses, "");
        }
        if (trouble != null) {
            return new Addresses(host, Answer.Status.TEMPFAIL, List.of(), host + ": " + trouble.detail());
        }
        Answer.Status status = nxdomain ? Answer.Status.NXDOMAIN : Answer.Status.NODATA;
        return new Addresses(host, status, List.of(), host + ": " + (nxdomain ? "NXDOMAIN" : "no address records"));
    }
}
