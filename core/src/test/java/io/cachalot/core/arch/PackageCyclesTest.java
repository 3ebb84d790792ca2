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
 * The shape of core's packages, read from the compiled classes: core's packages form no cycle,
 * and the layers depend only downwards — util, config, types, keyspace at the bottom; client
 * (sessions) above them; the command layer above that; the blocking registry above the command
 * layer (it runs blocked commands again), seen by handlers only as command.Blocker; the engine
 * root on top, seen by the layers below as command.EngineServices.
 */
class PackageCyclesTest {
    private static final String CORE = "io.cachalot.core";

    private static Map<String, Set<String>> graph;
    private static JavaClasses classes;

    @BeforeAll
    static void readClasses() {
        classes = new ClassFileImporter()
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
    void corePackagesFormNoCycle() {
        assertThat(cycles()).as("package cycles in core (package graph: %s)", graph).isEmpty();
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
        // sessions know the data and nothing of how commands run; handlers block clients through
        // command.Blocker, never the registry itself
        assertThat(graph.get("client")).as("client").isSubsetOf("util", "types", "keyspace", "config");
        // Redis' formats know the data and the settings, never how commands run
        assertThat(graph.get("persist.rdb")).as("persist.rdb").isSubsetOf("util", "types", "types.list", "types.set",
                "types.hash", "types.zset", "types.string", "types.listpack", "types.stream", "keyspace", "config");
        for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
            if (e.getKey().equals("command") || e.getKey().startsWith("command.")) {
                assertThat(e.getValue()).as(e.getKey()).doesNotContain("blocking");
            }
        }
        // the engine assembles the layers below; they see it only as command.EngineServices
        for (String layer : List.of("command", "blocking", "client", "keyspace", "types", "config", "evict",
                "expire", "stats", "host", "util")) {
            assertThat(graph.getOrDefault(layer, Set.of())).as(layer + " -> the engine root").doesNotContain("");
        }
    }

    /**
     * The data-type families use only the narrow services of their context (keyspace, settings,
     * blocking, the reply); the engine as a whole is for the server and connection families.
     */
    @Test
    void dataCommandsDoNotReachTheWholeEngine() {
        List<String> offenders = new ArrayList<>();
        for (JavaClass c : classes) {
            String pkg = relative(c.getPackageName());
            if (DATA_FAMILIES.contains(pkg)) {
                c.getMethodCallsFromSelf().forEach(call -> {
                    if (call.getTargetOwner().getName().equals(CORE + ".command.CommandContext")
                            && call.getName().equals("engine")) {
                        offenders.add(call.getDescription());
                    }
                });
            }
        }
        assertThat(offenders).as("calls of CommandContext.engine() from data commands").isEmpty();
    }

    private static final Set<String> DATA_FAMILIES = Set.of("command.strings", "command.lists", "command.sets",
            "command.zsets", "command.hashes", "command.keys", "command.sort");

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
