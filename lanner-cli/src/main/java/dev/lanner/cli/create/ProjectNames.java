package dev.lanner.cli.create;

import dev.lanner.cli.CliException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * The names of a new project: its name (the Maven artifactId), its Java package, and the groupId
 * derived from the package. Invalid names are refused as one line that says how to choose another.
 */
public final class ProjectNames {
    /** What Maven accepts in an artifactId (its model validator's pattern). */
    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9_\\-.]+");
    /** The package a name's package is placed under when {@code --package} is not given. */
    static final String DEFAULT_PACKAGE_PREFIX = "com.example";

    private ProjectNames() {
    }

    /** Whether {@code name} can be a Maven artifactId (and so a folder name and a launch profile name). */
    public static boolean isValidName(String name) {
        return ARTIFACT_ID.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** Whether {@code name} is a Java package name: dot-separated identifiers, none a keyword. */
    public static boolean isValidPackage(String name) {
        return SourceVersion.isName(name);
    }

    /** {@code name}, or a {@link CliException} saying where it came from and how to choose another. */
    public static String requireValidName(String name, boolean fromFolder) {
        if (!isValidName(name)) {
            throw new CliException((fromFolder ? "the folder name '" : "'") + name + "' is not a valid project name"
                    + " (letters, digits, '-', '_' and '.'); " + (fromFolder ? "pass one with --name" : "choose another with --name"));
        }
        return name;
    }

    /** {@code name}, or a {@link CliException} saying how to choose another. */
    public static String requireValidPackage(String name) {
        if (!isValidPackage(name)) {
            throw new CliException("'" + name + "' is not a valid Java package (dot-separated identifiers, no keywords,"
                    + " e.g. com.example.myapp); choose another with --package");
        }
        return name;
    }

    /**
     * The package for a project named {@code name}: {@code com.example.} and the name in lower case,
     * made an identifier the way JLS §6.1 suggests for domain names: '-' and '.' become '_', a leading
     * digit gets a '_' before it, a keyword gets one after it ({@code my-app} → {@code com.example.my_app}).
     */
    public static String defaultPackage(String name) {
        String segment = name.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        if (!segment.isEmpty() && Character.isDigit(segment.charAt(0))) {
            segment = "_" + segment;
        }
        if (SourceVersion.isKeyword(segment)) {
            segment = segment + "_";
        }
        return DEFAULT_PACKAGE_PREFIX + "." + segment;
    }

    /**
     * The groupId for a project whose code is in {@code javaPackage}: the package without its last
     * segment ({@code com.example.myapp} → {@code com.example}, as Maven projects usually name them), or
     * the package itself when it has one segment.
     */
    public static String groupId(String javaPackage) {
        int lastDot = javaPackage.lastIndexOf('.');
        return lastDot < 0 ? javaPackage : javaPackage.substring(0, lastDot);
    }
}
