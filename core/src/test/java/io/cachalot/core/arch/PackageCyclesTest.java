package io.cachalot.core.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of core's packages, read from the compiled classes: the layers that must stay at the
 * bottom depend on nothing above them, and the package cycles are exactly the known ones — a new
 * cycle fails the build, and a cycle that is broken must be struck from {@link #KNOWN_CYCLES},
 * so the list only shrinks (issue 20 removes the rest).
 */
class PackageCyclesTest {
    private static final String CORE = "io.cachalot.core";

    /**
     * The cycles core still has, each as the sorted set of its packages (relative to
     * io.cachalot.core, "" for the root): the dispatcher's layer, sessions and blocked clients
     * know each other (Session holds a CommandContext and TransactionState queues CommandSpecs;
     * handlers block clients and BlockingRegistry runs their commands again). The engine root is
     * out of it (the command layer sees it as EngineServices), and so are the command families
     * (found with a ServiceLoader).
     */
    private static final Set<Set<String>> KNOWN_CYCLES = Set.of(
            new TreeSet<>(List.of("blocking", "client", "command")));

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readClasses() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CORE);
        graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = relative(c.getPackageName());
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (target.startsWith(CORE) && !relative(target).equals(from)) {
                    to.add(relative(target));
                }
            }
        }
    }

    private static String relative(String pkg) {
        return pkg.equals(CORE) ? "" : pkg.substring(CORE.length() + 1);
    }

    @Test
    void theCyclesAreTheKnownOnesOnly() {
        assertThat(cycles()).as("package cycles in core (package graph: %s)", graph)
                .containsExactlyInAnyOrderElementsOf(KNOWN_CYCLES);
    }

    /** The bottom layers: utilities, configuration and the value types know nothing above them. */
    @Test
    void theBottomLayersDependOnlyDownwards() {
        assertThat(graph.get("util")).as("util").isEmpty();
        assertThat(graph.get("config")).as("config").isSubsetOf("util");
        for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
            if (e.getKey().equals("types") || e.getKey().startsWith("types.")) {
                for (String to : e.getValue()) {
                    assertThat(to.equals("util") || to.equals("types") || to.startsWith("types."))
                            .as("%s -> %s", e.getKey(), to).isTrue();
                }
            }
        }
        assertThat(graph.get("keyspace")).as("keyspace").isSubsetOf("util", "types");
        assertThat(graph.get("command.meta")).as("command.meta").isSubsetOf("util");
        // the engine assembles the layers below; they see it only as command.EngineServices
        for (String layer : List.of("command", "blocking", "client", "keyspace", "types", "config", "evict",
                "expire", "stats", "host", "util")) {
            assertThat(graph.getOrDefault(layer, Set.of())).as(layer + " -> the engine root").doesNotContain("");
        }
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static Set<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        Set<Set<String>> out = new java.util.HashSet<>();
        int[] next = {0};
        for (String v : new ArrayList<>(graph.keySet())) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                Set<String> onStack, Set<Set<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
