/**
 * The TLS decoder (new, beyond kflowd; app TLS, default port tcp/443): what the plaintext
 * start of a TLS connection tells about it, byte by byte. Private package: the bundle offers
 * one {@link io.kflowd.api.AppDecoder} service ({@code kflowd.app=TLS}) and nothing else.
 *
 * <ul>
 * <li>ClientHello: {@code _Timestamp, Handshake, ServerName} (SNI host_name),
 * {@code ALPN} (array), {@code SupportedVersions} (array, from supported_versions without
 * GREASE, else the legacy version), {@code CipherSuites} (count).</li>
 * <li>ServerHello: {@code _Timestamp, Handshake} ({@code "HelloRetryRequest"} for the
 * special random of RFC 8446 4.1.3), {@code Version} (supported_versions if present, else
 * the legacy version), {@code CipherSuite} (IANA name for the common suites, else
 * {@code 0x%04X}), {@code ALPN} (string) if present. In TLS 1.3 the server's ALPN travels
 * in EncryptedExtensions, so it shows only for TLS 1.2 and older.</li>
 * <li>Handshake messages are reassembled across records and a record may hold several;
 * other handshake messages (Certificate, ServerKeyExchange, ...) are not shown. After a
 * ChangeCipherSpec the handshake records of that direction are encrypted.</li>
 * <li>Other records (ChangeCipherSpec, Alert, ApplicationData, Heartbeat, encrypted
 * handshake) give one summary per type and payload, where the type first appears:
 * {@code {"_Timestamp", "Record": "ApplicationData", "Length": bytes, "Records": n}}
 * ({@code Records} when more than one), so a bulk transfer does not flood the record.</li>
 * <li>An SSL 2.0-compatible ClientHello: {@code Handshake, "Format": "SSLv2",
 * SupportedVersions, CipherSuites}.</li>
 * <li>After a gap the decoder looks for a record header followed by another (or by the
 * end); without one: {@code "Record": "Continuation"}. Bytes that are no TLS record:
 * {@code "Record": "Unknown"} with {@code _Malformed}.</li>
 * <li>A hello cut by the end of the capture is decoded as far as it goes and marked
 * {@code "_Truncated": true}; inconsistent lengths give {@code _Malformed}. Never throws.</li>
 * </ul>
 */
package io.kflowd.decoder.tls;
