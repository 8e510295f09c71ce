package dev.lanner.benchmarks.soak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * One request of the well-behaved mix and the response it must get: {@code GET /plaintext},
 * {@code GET /json} and {@code POST /echo} with a random body (16 B to 32 KiB) that must come back
 * octet for octet. Every response is checked in full: status 200 and the exact body.
 *
 * @param method GET or POST
 * @param path the request target
 * @param body the request body (empty for GET)
 * @param expectedBody the exact response body
 */
record WellBehavedRequest(String method, String path, byte[] body, byte[] expectedBody) {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    private static final int[] ECHO_SIZES = {16, 1024, 8 * 1024, 32 * 1024};

    /** The {@code n}th request of a client's cycle: plaintext, json, plaintext, echo. */
    static WellBehavedRequest nth(long n, Random random) {
        return switch ((int) (n % 4)) {
            case 1 -> new WellBehavedRequest("GET", "/json", new byte[0], JSON);
            case 3 -> {
                byte[] body = new byte[ECHO_SIZES[random.nextInt(ECHO_SIZES.length)]];
                random.nextBytes(body);
                yield new WellBehavedRequest("POST", "/echo", body, body);
            }
            default -> new WellBehavedRequest("GET", "/plaintext", new byte[0], PLAINTEXT);
        };
    }

    /** A GET that pipelines well: plaintext or json, alternately. */
    static WellBehavedRequest nthGet(long n) {
        return n % 2 == 0 ? new WellBehavedRequest("GET", "/plaintext", new byte[0], PLAINTEXT)
                : new WellBehavedRequest("GET", "/json", new byte[0], JSON);
    }

    /** The request as HTTP/1.1 octets. */
    byte[] http1(String authority) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + body.length);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + (body.length > 0 || method.equals("POST")
                        ? "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n" : "")
                + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Null when {@code status} and {@code responseBody} are what this request must get, else why not. */
    String mismatch(int status, byte[] responseBody) {
        if (status != 200) {
            return "status " + status + " on " + method + " " + path;
        }
        if (!Arrays.equals(expectedBody, responseBody)) {
            return "body mismatch on " + method + " " + path;
        }
        return null;
    }
}
