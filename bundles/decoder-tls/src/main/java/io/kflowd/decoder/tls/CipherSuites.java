package io.kflowd.decoder.tls;

/** IANA names of the cipher suites in common use with TLS 1.2 and 1.3; others as {@code 0x%04X}. */
final class CipherSuites {

    private CipherSuites() {
    }

    static String name(int suite) {
        return switch (suite) {
            case 0x1301 -> "TLS_AES_128_GCM_SHA256";
            case 0x1302 -> "TLS_AES_256_GCM_SHA384";
            case 0x1303 -> "TLS_CHACHA20_POLY1305_SHA256";
            case 0x1304 -> "TLS_AES_128_CCM_SHA256";
            case 0x1305 -> "TLS_AES_128_CCM_8_SHA256";
            case 0xC02B -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xC02C -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xC02F -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0xC030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0xCCA8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCA9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCAA -> "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0x009E -> "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009F -> "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0x009C -> "TLS_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009D -> "TLS_RSA_WITH_AES_256_GCM_SHA384";
            case 0xC009 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xC00A -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
            case 0xC013 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
            case 0xC014 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";
            case 0xC023 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
            case 0xC024 -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384";
            case 0xC027 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0xC028 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384";
            case 0xC0AC -> "TLS_ECDHE_ECDSA_WITH_AES_128_CCM";
            case 0xC0AD -> "TLS_ECDHE_ECDSA_WITH_AES_256_CCM";
            case 0xC0AE -> "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8";
            case 0xC0AF -> "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8";
            case 0x0033 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA";
            case 0x0039 -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA";
            case 0x0067 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0x006B -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256";
            case 0x002F -> "TLS_RSA_WITH_AES_128_CBC_SHA";
            case 0x0035 -> "TLS_RSA_WITH_AES_256_CBC_SHA";
            case 0x003C -> "TLS_RSA_WITH_AES_128_CBC_SHA256";
            case 0x003D -> "TLS_RSA_WITH_AES_256_CBC_SHA256";
            case 0x000A -> "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0x0005 -> "TLS_RSA_WITH_RC4_128_SHA";
            case 0x00FF -> "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
            case 0x5600 -> "TLS_FALLBACK_SCSV";
            default -> String.format("0x%04X", suite);
        };
    }
}
