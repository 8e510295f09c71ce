package dev.lanner.hosting.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Principal;
import org.junit.jupiter.api.Test;

class ModuleUserTest {

    @Test
    void isAPrincipalNamedForTheUser() {
        Principal user = new ModuleUser("alice", ModuleUser.BASIC);

        assertThat(user.getName()).isEqualTo("alice");
        assertThat(user).isEqualTo(new ModuleUser("alice", "Basic")).isNotEqualTo(new ModuleUser("alice", "Certificate"));
    }

    @Test
    void rejectsABlankNameOrAuthenticationType() {
        assertThatThrownBy(() -> new ModuleUser(" ", "Basic")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user name must not be blank");
        assertThatThrownBy(() -> new ModuleUser(null, "Basic")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModuleUser("alice", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("authentication type must not be blank");
    }
}
