package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseStateTest {

    @Test
    void theHeadFreezesOnceStarted() {
        ResponseState response = new ResponseState(4);
        response.setStatusCode(201);
        response.headers().set("X-A", "1");
        response.markStarted();
        assertThat(response.hasStarted()).isTrue();
        assertThatThrownBy(() -> response.setStatusCode(500)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> response.setReasonPhrase("No")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> response.setHeaders(new HttpHeaders())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> response.onStarting(() -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(response.headers().isReadOnly()).isTrue();
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void statusCodesOutsideTheRangeAreRefused() {
        ResponseState response = new ResponseState(4);
        assertThatThrownBy(() -> response.setStatusCode(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid status code 99: must be from 100 to 999");
        assertThatThrownBy(() -> response.setStatusCode(1000)).isInstanceOf(IllegalArgumentException.class);
        response.setStatusCode(999);
        assertThat(response.statusCode()).isEqualTo(999);
    }

    @Test
    void resetGivesAFresh200AndForgetsCallbacks() throws Exception {
        ResponseState response = new ResponseState(4);
        List<String> ran = new ArrayList<>();
        response.onStarting(() -> ran.add("starting"));
        response.onCompleted(() -> ran.add("completed"));
        response.setStatusCode(404);
        response.setReasonPhrase("Gone fishing");
        response.headers().set("X-A", "1");
        response.markStarted();
        response.reset();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.reasonPhrase()).isNull();
        assertThat(response.headers().isEmpty()).isTrue();
        assertThat(response.headers().isReadOnly()).isFalse();
        assertThat(response.hasStarted()).isFalse();
        response.callbacks().fireOnStarting();
        assertThat(response.callbacks().fireOnCompleted()).isNull();
        assertThat(ran).isEmpty();
    }

    @Test
    void anErrorResponseDropsWhatTheApplicationSet() {
        ResponseState response = new ResponseState(4);
        response.setReasonPhrase("Fine");
        response.headers().set("X-A", "1");
        response.resetForError(500);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.reasonPhrase()).isNull();
        assertThat(response.headers().isEmpty()).isTrue();
    }

    @Test
    void callbacksRunLastRegisteredFirst() throws Exception {
        ResponseState response = new ResponseState(4);
        List<String> ran = new ArrayList<>();
        response.onStarting(() -> ran.add("s1"));
        response.onStarting(() -> ran.add("s2"));
        response.onCompleted(() -> ran.add("c1"));
        response.onCompleted(() -> ran.add("c2"));
        response.callbacks().fireOnStarting();
        response.callbacks().fireOnStarting();
        response.callbacks().fireOnCompleted();
        assertThat(ran).containsExactly("s2", "s1", "c2", "c1");
    }
}
