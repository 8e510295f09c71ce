package dev.lanner.cli.certs;

import dev.lanner.certificates.DevelopmentCertificate;
import dev.lanner.certificates.DevelopmentCertificate.Inspection;
import dev.lanner.certificates.DevelopmentCertificate.Obtained;
import dev.lanner.cli.CliException;
import dev.lanner.tls.CertificateLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lanner dev-certs} ({@code dotnet dev-certs https}): creates, checks, removes and exports the
 * development certificate for {@code https://localhost} that the servers use in the Development
 * environment. All the work is {@link DevelopmentCertificate}'s, in the same directory the servers use;
 * this class reads the options and says what happened.
 */
@Command(
        name = "dev-certs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Creates, checks, removes or exports the development certificate for localhost that"
                    + " applications use for HTTPS in the Development environment.",
            "",
            "It lives in $LANNER_DEV_CERTS_DIR, or else in ~/.lanner/dev-certs. Without options: creates"
                    + " it when it is missing, expired, expiring within a day or unusable, and says where it"
                    + " is and when it expires. See docs/dev-certs.md, also for trusting it."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Done; with --check, a valid certificate exists.",
            "1:With --check, no valid certificate (none, expired, expiring within a day, unusable);"
                    + " otherwise an error, one line on stderr.",
            "2:Invalid options."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  lanner dev-certs --check",
            "  lanner dev-certs --export-path localhost.pem",
            "      writes localhost.pem and its key, localhost.key",
            "  lanner dev-certs --export-path localhost.p12 --format pkcs12 -p changeit",
            "  lanner dev-certs --clean && lanner dev-certs",
            "      replaces the certificate with a new one"
        })
public final class DevCertsCommand implements Callable<Integer> {

    /** How {@code --export-path} writes the certificate. */
    public enum Format { pem, pkcs12 }

    @Option(names = "--check", description = "Say whether a valid certificate exists, what it is for, when it"
            + " expires and where it lives; exit 1 when there is no valid one.")
    private boolean check;

    @Option(names = "--clean", description = "Remove the certificate and its key (the next use makes a new one).")
    private boolean clean;

    @Option(names = {"-ep", "--export-path"}, paramLabel = "FILE", description = "Write the certificate to FILE"
            + " (created first when there is none). PEM: the key goes next to it, FILE with its extension"
            + " replaced by .key (localhost.pem -> localhost.key), readable by its owner only.")
    private Path exportPath;

    @Option(names = "--format", paramLabel = "pem|pkcs12", description = "Format of --export-path"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "pem")
    private Format format = Format.pem;

    @Option(names = {"-p", "--password"}, paramLabel = "P", description = "Password of the PKCS#12 file (required"
            + " with --format pkcs12); with pem, encrypts the key file.")
    private String password;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        DevelopmentCertificate certificate = new DevelopmentCertificate();
        PrintWriter out = spec.commandLine().getOut();
        try {
            int exitCode;
            if (check) {
                exitCode = check(certificate, out);
            } else if (clean) {
                exitCode = clean(certificate, out);
            } else if (exportPath != null) {
                exitCode = export(certificate, out);
            } else {
                exitCode = create(certificate, out);
            }
            return exitCode;
        } catch (IOException e) {
            throw storeError(e);
        } finally {
            out.flush();
        }
    }

    private void validate() {
        int actions = (check ? 1 : 0) + (clean ? 1 : 0) + (exportPath != null ? 1 : 0);
        if (actions > 1) {
            throw usage("--check, --clean and --export-path do not combine; run lanner dev-certs once for each");
        }
        if (exportPath == null && (spec.commandLine().getParseResult().hasMatchedOption("--format") || password != null)) {
            throw usage("--format and --password apply to --export-path FILE; add it");
        }
        if (password != null && password.isEmpty()) {
            throw usage("--password is empty; give a password, or leave it out for an unencrypted PEM key");
        }
        if (exportPath != null && format == Format.pkcs12 && password == null) {
            throw usage("--format pkcs12 needs --password P (the PKCS#12 file is protected by it)");
        }
        if (exportPath != null && format == Format.pem && pemKeyFile(exportPath).equals(exportPath)) {
            throw usage("--export-path " + exportPath + " is where the key goes; name the certificate file"
                    + " .pem or .crt (the key is written next to it as .key)");
        }
    }

    /** The certificate's directory could not be used: say so, and how to pick another. */
    private static CliException storeError(IOException e) {
        return new CliException(lowerFirst(e.getMessage()) + "; make it a writable directory, or set "
                + DevelopmentCertificate.DIRECTORY_VARIABLE + " to one");
    }

    private static String lowerFirst(String message) {
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static int create(DevelopmentCertificate certificate, PrintWriter out) throws IOException {
        Obtained obtained = certificate.obtain();
        X509Certificate leaf = obtained.certificate().leaf();
        if (obtained.created()) {
            out.println("Created a development certificate for localhost (" + replaced(obtained.before())
                    + "), valid until " + leaf.getNotAfter().toInstant() + ".");
        } else {
            out.println("The development certificate for localhost is valid until " + leaf.getNotAfter().toInstant()
                    + " (" + daysLeft(leaf) + "); nothing to do.");
        }
        printFiles(certificate, out);
        return 0;
    }

    private static int check(DevelopmentCertificate certificate, PrintWriter out) {
        Inspection inspection = certificate.inspect();
        X509Certificate leaf = inspection.certificate();
        switch (inspection.state()) {
            case VALID -> out.println("A valid development certificate exists.");
            case MISSING -> {
                out.println("No development certificate in " + certificate.directory()
                        + "; run lanner dev-certs to create one.");
                return 1;
            }
            case EXPIRING -> out.println("The development certificate expires within a day; run lanner dev-certs"
                    + " to make a new one now.");
            case EXPIRED -> out.println("The development certificate has expired; run lanner dev-certs to make"
                    + " a new one.");
            case UNUSABLE -> out.println("The development certificate is unusable (" + inspection.problem()
                    + "); run lanner dev-certs to make a new one.");
        }
        if (leaf != null) {
            out.println("  subject:     " + leaf.getSubjectX500Principal().getName());
            out.println("  names:       " + String.join(", ", subjectAlternativeNames(leaf)));
            out.println("  valid until: " + leaf.getNotAfter().toInstant() + " (" + daysLeft(leaf) + ")");
        }
        printFiles(certificate, out);
        return inspection.isValid() ? 0 : 1;
    }

    private static int clean(DevelopmentCertificate certificate, PrintWriter out) throws IOException {
        List<Path> removed = certificate.remove();
        if (removed.isEmpty()) {
            out.println("No development certificate in " + certificate.directory() + "; nothing to remove.");
        } else {
            out.println("Removed the development certificate from " + certificate.directory() + ":");
            for (Path file : removed) {
                out.println("  " + file.getFileName());
            }
        }
        return 0;
    }

    private int export(DevelopmentCertificate certificate, PrintWriter out) {
        Path file = exportPath.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new CliException("cannot export to " + file + ": it is a directory; give a file name, e.g. "
                    + file.resolve(format == Format.pkcs12 ? "localhost.p12" : "localhost.pem"));
        }
        if (!Files.isDirectory(file.getParent())) {
            throw new CliException("cannot export to " + file + ": the directory " + file.getParent()
                    + " does not exist; create it or choose another --export-path");
        }
        char[] secret = password == null ? null : password.toCharArray();
        Obtained obtained;
        try {
            if (format == Format.pkcs12) {
                obtained = certificate.exportPkcs12(file, secret);
            } else {
                obtained = certificate.exportPem(file, pemKeyFile(file), secret);
            }
        } catch (CertificateLoadException e) {
            throw storeError(e);
        } catch (IOException e) {
            throw new CliException(lowerFirst(e.getMessage()) + "; choose another --export-path");
        }
        X509Certificate leaf = obtained.certificate().leaf();
        if (obtained.created()) {
            out.println("Created a development certificate for localhost (" + replaced(obtained.before())
                    + ") in " + certificate.directory() + ".");
        }
        out.println("Exported the development certificate (valid until " + leaf.getNotAfter().toInstant() + "):");
        if (format == Format.pkcs12) {
            out.println("  PKCS#12:     " + file + " (certificate and key, protected by the password)");
        } else {
            out.println("  certificate: " + file);
            out.println("  key:         " + pemKeyFile(file) + (secret == null ? "" : " (encrypted with the password)"));
        }
        return 0;
    }

    /**
     * Where {@code --export-path FILE --format pem} writes the key: FILE with its extension replaced by
     * {@code .key} ({@code localhost.pem} gives {@code localhost.key}), or {@code .key} added when it has none.
     */
    static Path pemKeyFile(Path certificateFile) {
        String name = certificateFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return certificateFile.resolveSibling(base + ".key");
    }

    /** Why a certificate was made, for "Created a development certificate (...)". */
    private static String replaced(Inspection before) {
        return switch (before.state()) {
            case MISSING -> "there was none";
            case EXPIRED -> "the previous one expired on " + before.certificate().getNotAfter().toInstant();
            case EXPIRING -> "the previous one was to expire within a day, on " + before.certificate().getNotAfter().toInstant();
            case UNUSABLE -> "the previous one was unusable: " + before.problem();
            case VALID -> throw new IllegalStateException("a valid certificate is not replaced");
        };
    }

    private static void printFiles(DevelopmentCertificate certificate, PrintWriter out) {
        out.println("  certificate: " + certificate.certificateFile());
        out.println("  key:         " + certificate.keyFile());
    }

    private static String daysLeft(X509Certificate leaf) {
        Duration left = Duration.between(Instant.now(), leaf.getNotAfter().toInstant());
        if (left.isNegative()) {
            return "expired";
        }
        long days = left.toDays();
        return days == 1 ? "1 day left" : days + " days left";
    }

    /** {@code DNS:localhost, IP:127.0.0.1, ...}, as openssl prints them. */
    private static List<String> subjectAlternativeNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = leaf.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    // RFC 5280 §4.2.1.6: GeneralName tags 2 (dNSName) and 7 (iPAddress).
                    String kind = switch ((Integer) entry.get(0)) {
                        case 2 -> "DNS:";
                        case 7 -> "IP:";
                        default -> "";
                    };
                    names.add(kind + entry.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable: " + e.getMessage() + ")");
        }
        return names;
    }
}
