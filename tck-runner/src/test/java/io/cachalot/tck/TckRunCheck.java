package io.cachalot.tck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run after the TCK (verify phase), for the embedded run and the two remote runs: fails the build
 * when a TCK test was turned into a no-op ({@code EXCLUDING TEST} lines other than
 * {@code CachingTest#dummyTest} and, remotely, the store-by-reference tests), when fewer tests ran
 * than the TCK has (481 in the main run, 12 annotation tests), when any failed or was skipped,
 * or when the annotation run did not go through the BeanProvider (then its 12 tests pass empty).
 */
public final class TckRunCheck {
    private static final int MAIN_TESTS = 481;
    private static final int ANNOTATION_TESTS = 12;
    private static final Pattern EXCLUDING = Pattern.compile("EXCLUDING TEST '([^']*)'\\s+'([^']*)'");
    /** The runs: report directories (main, annotations) and whether the store is remote. */
    private static final String[][] RUNS = {
        {"embedded", "surefire-reports", "surefire-reports-annotations"},
        {"remote on a Cachalot server", "surefire-reports-remote-cachalot", "surefire-reports-remote-cachalot-annotations"},
        {"remote on redis-server", "surefire-reports-remote-redis", "surefire-reports-remote-redis-annotations"},
    };
    private static final Pattern COUNTS = Pattern.compile(
            "<testsuite[^>]*?tests=\"(\\d+)\"[^>]*?errors=\"(\\d+)\"[^>]*?skipped=\"(\\d+)\"[^>]*?failures=\"(\\d+)\"");

    private TckRunCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        List<String> problems = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        for (String[] run : RUNS) {
            boolean remote = !run[0].equals("embedded");
            List<String> found = new ArrayList<>();
            int[] main = check(target.resolve(run[1]), "", found, false, remote);
            int[] annotations = check(target.resolve(run[2]), "", found, true, remote);
            if (main[0] < MAIN_TESTS) {
                found.add("main TCK run: " + main[0] + " tests ran, expected " + MAIN_TESTS);
            }
            if (annotations[0] < ANNOTATION_TESTS) {
                found.add("annotation run: " + annotations[0] + " tests ran, expected " + ANNOTATION_TESTS);
            }
            for (String f : found) {
                problems.add(run[0] + ": " + f);
            }
            passed.add(run[0] + ": " + main[0] + " + " + annotations[0]);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("JSR-107 TCK run check failed:\n  " + String.join("\n  ", problems));
        }
        System.out.println("[tck-check] TCK tests passed (main + annotations through the Spring BeanProvider; "
                + "excluded: CachingTest#dummyTest, and remotely the store-by-reference tests, which the TCK "
                + "leaves out when the provider says store-by-reference is not supported): " + String.join("; ", passed));
    }

    /**
     * Whether a test the TCK turned into a no-op may be: its own dummyTest always; remotely the
     * store-by-reference tests (the provider reports the feature unsupported there).
     */
    private static boolean allowedExclusion(String cls, String method, boolean remote) {
        if (cls.equals("org.jsr107.tck.CachingTest") && method.equals("dummyTest")) {
            return true;
        }
        return remote && (cls.equals("org.jsr107.tck.StoreByReferenceTest")
                || cls.equals("org.jsr107.tck.TypesTest") && method.endsWith("StoreByReference"));
    }

    /** Returns {tests} of the TCK classes in a report directory, adding what is wrong to problems. */
    private static int[] check(Path dir, String packagePrefix, List<String> problems, boolean needBeanProvider,
                               boolean remote) throws IOException {
        int tests = 0;
        boolean beanProviderUsed = false;
        if (!Files.isDirectory(dir)) {
            problems.add("no reports in " + dir + " (did the TCK run?)");
            return new int[] {0};
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith("TEST-" + packagePrefix) && name.endsWith(".xml")) {
                    String xml = Files.readString(f);
                    Matcher m = COUNTS.matcher(xml);
                    if (m.find()) {
                        tests += Integer.parseInt(m.group(1));
                        int bad = Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4));
                        if (bad > 0) {
                            problems.add(name + ": " + m.group(2) + " errors, " + m.group(3) + " skipped, "
                                    + m.group(4) + " failures");
                        }
                    }
                } else if (name.endsWith("-output.txt")) {
                    for (String line : Files.readAllLines(f)) {
                        Matcher m = EXCLUDING.matcher(line);
                        if (m.find() && !allowedExclusion(m.group(1), m.group(2), remote)) {
                            problems.add("silently excluded: " + m.group(1) + "#" + m.group(2));
                        }
                        if (line.contains(SpringBeanProvider.MARKER)) {
                            beanProviderUsed = true;
                        }
                    }
                }
            }
        }
        if (needBeanProvider && !beanProviderUsed) {
            problems.add("the annotation tests did not obtain their beans from the Spring BeanProvider");
        }
        return new int[] {tests};
    }
}
