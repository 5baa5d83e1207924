package io.kflowd.core.enrich;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host facts of the Info block, read once at start (spec 9).
 *
 * @param hostName uname node name
 * @param hostIp   IPv4 address of the interface of the default route, "" if none
 * @param system   uname system name
 * @param kernel   uname release
 */
public record HostInfo(String hostName, String hostIp, String system, String kernel) {

    public static HostInfo read() {
        return new HostInfo(
                readProc("/proc/sys/kernel/hostname").orElse(""),
                defaultRouteAddress(Path.of("/proc/net/route")).orElse(""),
                readProc("/proc/sys/kernel/ostype").orElse("Linux"),
                readProc("/proc/sys/kernel/osrelease").orElse(System.getProperty("os.version")));
    }

    private static Optional<String> readProc(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * kflowd "connected" a UDP socket to 8.8.8.8 to learn the source address. We read the
     * routing table instead, so the monitor opens no socket towards the outside at all:
     * the interface of the default route (lowest metric), then its first IPv4 address.
     */
    static Optional<String> defaultRouteAddress(Path routeTable) {
        try {
            List<String> lines = Files.readAllLines(routeTable);
            String bestInterface = null;
            long bestMetric = Long.MAX_VALUE;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
                String[] f = line.trim().split("\\s+");
                if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) {
                    continue;
                }
                long metric = Long.parseLong(f[6]);
                if (metric < bestMetric) {
                    bestMetric = metric;
                    bestInterface = f[0];
                }
            }
            if (bestInterface == null) {
                return Optional.empty();
            }
            NetworkInterface nic = NetworkInterface.getByName(bestInterface);
            if (nic == null) {
                return Optional.empty();
            }
            return nic.inetAddresses().filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
