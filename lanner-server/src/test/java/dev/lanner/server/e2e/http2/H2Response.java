package dev.lanner.server.e2e.http2;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the server sent on one stream.
 *
 * @param streamId   the stream
 * @param fields     the response header section (after any 1xx ones)
 * @param body       the DATA payloads, padding removed
 * @param trailers   the trailer section, empty if none
 * @param dataFrames the number of DATA frames received
 * @param resetCode  the RST_STREAM error code that ended the stream, or -1 if it ended with END_STREAM
 */
record H2Response(int streamId, List<Map.Entry<String, String>> fields, byte[] body,
                  List<Map.Entry<String, String>> trailers, int dataFrames, int resetCode) {

    /** The :status, or -1 if no header section came. */
    int status() {
        String status = field(":status");
        return status == null ? -1 : Integer.parseInt(status);
    }

    String field(String name) {
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    String trailer(String name) {
        for (Map.Entry<String, String> field : trailers) {
            if (field.getKey().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "stream " + streamId + " " + fields + " body=" + body.length + " octets"
                + (body.length <= 200 ? " \"" + bodyText() + "\"" : "") + (trailers.isEmpty() ? "" : " trailers=" + trailers)
                + (resetCode >= 0 ? " reset=" + H2Frames.errorName(resetCode) : "");
    }
}
