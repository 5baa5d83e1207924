/**
 * The DNS decoder: an {@link io.kflowd.api.AppDecoder} service for {@code kflowd.app=DNS}
 * (spec 7.2, extended). Private package: the bundle offers the service and nothing else.
 * The bundle's README.md shows examples.
 *
 * <p>Input: UDP (and anything not TCP) is one DNS message; TCP is a stream of messages each
 * with a two-byte length prefix, every complete message decoded (one message object each, at
 * most 64), a cut last one decoded as far as it was captured. A TCP capture with a gap (the
 * stream starts mid-message) cannot be framed and gives one object with {@code _Malformed}.
 *
 * <p>Members, in order:
 * <ul>
 * <li>{@code _Timestamp}: seconds since the record's first-seen time.</li>
 * <li>{@code TransactionId}: number.</li>
 * <li>{@code OpCode} (queries only): QUERY IQUERY STATUS NOTIFY UPDATE DSO, else the
 * number as a string.</li>
 * <li>{@code ResponseCode} (responses only): NOERROR FORMERROR SERVFAIL NXDOMAIN NOTIMP REFUSED
 * YXDOMAIN YXRRSET NXRRSET NOTAUTH NOTZONE DSOTYPENI, 16 BADVERS, BADKEY BADTIME BADMODE
 * BADNAME BADALG BADTRUNC BADCOOKIE (17-23), else the number as a string. The upper eight
 * bits of an extended RCODE come from the first OPT record of the additional section.</li>
 * <li>{@code Flags}: the set flags among QR AA TC RD RA AD CD, in that order.</li>
 * <li>{@code AnswerCount} (responses only): the header's count, not capped.</li>
 * <li>{@code ResourceRecords}: a query's questions, each {@code [TYPE, NAME]}; a response's
 * answers, each {@code [TYPE, NAME, TTL, CLASS, DATA]}.</li>
 * <li>{@code AuthorityRecords}, {@code AdditionalRecords}: same five-element layout, only
 * when not empty (for queries too: an OPT record or an UPDATE's records).</li>
 * <li>{@code _Truncated}: {@code true} when the capture cut the message, or a section had
 * more than 64 records (only the first 64 are shown; counting and the OPT search go on).</li>
 * <li>{@code _Malformed}: {@code "<reason> at byte N"}, N the offset in the DNS message
 * (after the TCP length prefix; for TCP framing faults, the offset in the payload), the
 * first fault found. Everything decoded before it is kept.</li>
 * </ul>
 *
 * <p>TYPE: A NS CNAME SOA PTR MX TXT AAAA SRV OPT SVCB HTTPS CAA, any other as its decimal
 * number (a string). CLASS: IN CS CH HS NONE (254) ANY (255), any other as its decimal
 * number (a string); for OPT the requestor's UDP payload size as a string. TTL: unsigned
 * number (for OPT the raw extended RCODE/version/flags word).
 *
 * <p>Names: labels joined by dots, no trailing dot, the root as {@code "."}; compression
 * pointers followed (each must point before the run of labels it ends, so forward pointers
 * and loops are faults); a label byte that is not printable ASCII, a space or one of the
 * master file specials {@code . \ " ( ) ; @ $} is written {@code \DDD} (RFC 1035 5.1).
 *
 * <p>DATA:
 * <ul>
 * <li>A: dotted quad. AAAA: RFC 5952 ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}).</li>
 * <li>NS, CNAME, PTR: the name. MX: {@code pref exchange}.</li>
 * <li>TXT: each character-string in double quotes, {@code \"} and {@code \\} escaped,
 * bytes outside printable ASCII as {@code \DDD}, strings separated by one space (dig's
 * form): {@code "v=spf1 -all" "second"}.</li>
 * <li>SOA: {@code mname rname serial refresh retry expire minimum}.</li>
 * <li>SRV: {@code priority weight port target}.</li>
 * <li>CAA: {@code flags tag "value"}, the value quoted like a TXT string.</li>
 * <li>SVCB, HTTPS: {@code priority target} then the SvcParams in wire order:
 * {@code mandatory=alpn,port}, {@code alpn=h2,h3} (a comma inside an id is {@code \044}),
 * {@code no-default-alpn}, {@code port=443}, {@code ipv4hint=a,b}, {@code ech=<base64>},
 * {@code ipv6hint=a,b}, any other {@code keyN=<hex>}.</li>
 * <li>OPT: {@code udp=<payload size> ednsversion=<v> do=<0|1>} then each option as
 * {@code opt<code>=<hex>} (e.g. a cookie {@code opt10=...}).</li>
 * <li>Any other type: the rdata in lower-case hex, no separators ({@code ""} when empty).</li>
 * <li>Rdata that does not parse as its type (wrong length, a bad name) is rendered as hex
 * and noted in {@code _Malformed}; the walk goes on with the next record.</li>
 * </ul>
 */
package io.kflowd.decoder.dns;
