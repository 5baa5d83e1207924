/**
 * The HTTP decoder (spec 7.3): HTTP/1.x requests and responses from captured TCP payload,
 * byte by byte, without regular expressions. Private package: the bundle offers one
 * {@link io.kflowd.api.AppDecoder} service ({@code kflowd.app=HTTP}) and nothing else.
 *
 * <p>Kept from kflowd: the key names and order ({@code _Timestamp}, {@code _Method},
 * {@code _Url}, {@code _Version} of a request, {@code _Version}, {@code _Status},
 * {@code _Reason} of a response, then
 * the headers as {@code "Name": "Value"}, then {@code _Body}); {@code _Status} a number;
 * base keys only when non-empty. Fixed or decided here:
 * <ul>
 * <li>One captured message may hold several HTTP messages (pipelined or keep-alive):
 * one {@link io.kflowd.api.AppMessage} each. A message ends by its Content-Length, the end
 * of its chunked body, or (a response without either) the end of the captured data.</li>
 * <li>No size limits of kflowd's (32 headers, 127 characters of body, a 1400-character
 * budget): up to 64 headers, then {@code "_Truncated": true}; the body as far as it was
 * captured. Cutting to the record's size limits is the formatter's business.</li>
 * <li>Chunked bodies are de-chunked (hex sizes, extensions, trailers skipped). Binary bodies
 * (a Content-Type that is not text/*, JSON, XML, form or JavaScript, a Content-Encoding such
 * as gzip, or, without Content-Type, bytes that do not look like text) are given as
 * {@code "_BodyBytes": n} (the Content-Length, or the sum of the chunk sizes seen) instead
 * of their text.</li>
 * <li>Text is UTF-8; a byte that is not part of valid UTF-8 is written as the four
 * characters {@code \xNN}.</li>
 * <li>A captured message that does not start with a request or status line (or follows a
 * gap in the capture and does not start with a complete one) is a continuation:
 * {@code {"_Timestamp", "_Body"}}, never kflowd's {@code _Exception}. A later start line in
 * it is found and decoded.</li>
 * <li>Responses to HEAD, 1xx, 204 and 304 have no body. The decoder sees one direction
 * only, so a HEAD response is recognised by its Content-Length bytes being absent (the
 * capture ends, or the next status line follows at once). After 101 Switching Protocols
 * the rest is another protocol and is not decoded.</li>
 * <li>Bad input never throws: what was decoded so far plus {@code "_Malformed": "reason"};
 * a capture that was cut ({@code truncated}) ends its last message with
 * {@code "_Truncated": true}.</li>
 * <li>Repeated headers (Set-Cookie) are repeated members, in order, as on the wire.</li>
 * </ul>
 */
package io.kflowd.decoder.http;
