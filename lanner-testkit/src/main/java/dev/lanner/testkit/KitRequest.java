package dev.lanner.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request the kit sends: method, origin-form target, header fields in order (a name may repeat),
 * a body, and whether the body goes without a declared length (chunked on HTTP/1.1).
 */
public record KitRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
                         boolean unknownLength) {

    public KitRequest {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    public static KitRequest of(String method, String target) {
        return new KitRequest(method, target, List.of(), new byte[0], false);
    }

    public static KitRequest get(String target) {
        return of("GET", target);
    }

    public KitRequest header(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new KitRequest(method, target, more, body, unknownLength);
    }

    public KitRequest body(byte[] bytes) {
        return new KitRequest(method, target, headers, bytes, unknownLength);
    }

    public KitRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same request with its body sent without a length (chunked). */
    public KitRequest withUnknownLength() {
        return new KitRequest(method, target, headers, body, true);
    }
}
