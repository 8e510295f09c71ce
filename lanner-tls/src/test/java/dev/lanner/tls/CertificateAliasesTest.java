package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAliasesTest {

    @TempDir
    Path dir;

    @Test
    void namesEachCertificateObjectOnceAndForgetsTheOldestBeyondCapacity() {
        ServerCertificate certificate = TestCertificates.create(dir, "alias", "alias.test");
        CertificateAliases aliases = new CertificateAliases();
        String first = aliases.aliasOf(certificate);
        assertThat(aliases.aliasOf(certificate)).isEqualTo(first);
        // An equal certificate from another load is another object: a reload gets its own alias.
        ServerCertificate reloaded = new ServerCertificate(certificate.chain(), certificate.privateKey());
        assertThat(aliases.aliasOf(reloaded)).isNotEqualTo(first);

        List<String> later = new ArrayList<>();
        for (int i = 0; i < CertificateAliases.CAPACITY; i++) {
            later.add(aliases.aliasOf(new ServerCertificate(certificate.chain(), certificate.privateKey())));
        }
        assertThat(aliases.certificate(first)).isNull();
        assertThat(aliases.certificate(later.get(later.size() - 1))).isNotNull();
        assertThat(aliases.certificate("unknown")).isNull();
        assertThat(aliases.certificate(null)).isNull();
    }
}
