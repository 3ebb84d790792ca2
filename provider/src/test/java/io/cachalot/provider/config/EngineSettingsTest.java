package io.cachalot.provider.config;

import io.cachalot.core.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cachalot.engine.*: Redis' names (and the relaxed forms Boot hands over), refused with a message otherwise. */
class EngineSettingsTest {
    private static Map<String, String> params(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    @Test
    void redisNamesAndValuesApply() {
        Settings s = EngineSettings.of(params("maxmemory", "10mb", "maxmemory-policy", "allkeys-lfu",
                "requirepass", "x", "hz", "50", "databases", "4", "hash-max-ziplist-entries", "64"));
        assertThat(s.maxmemory.value()).isEqualTo(10L << 20);
        assertThat(s.maxmemoryPolicy.value()).isEqualTo("allkeys-lfu");
        assertThat(s.requirepass.value()).isEqualTo("x");
        assertThat(s.hz.value()).isEqualTo(50);
        assertThat(s.databases.value()).isEqualTo(4);
        assertThat(s.hashMaxListpackEntries.value()).isEqualTo(64); // by its alias
    }

    /** The forms Spring Boot hands over: YAML camel case, environment variables, any case. */
    @Test
    void relaxedFormsOfANameAreTheParameter() {
        for (String form : new String[] {"maxmemoryPolicy", "MAXMEMORY_POLICY", "maxmemory.policy", "MaxMemory-Policy"}) {
            assertThat(EngineSettings.canonicalName(form)).as(form).isEqualTo("maxmemory-policy");
            assertThat(EngineSettings.of(params(form, "volatile-ttl")).maxmemoryPolicy.value()).isEqualTo("volatile-ttl");
        }
        assertThat(EngineSettings.canonicalName("maxmemorySamples")).isEqualTo("maxmemory-samples");
        assertThat(EngineSettings.canonicalName("maxmemory")).isEqualTo("maxmemory");
        assertThat(EngineSettings.canonicalName("nosuch")).isNull();
    }

    @Test
    void unknownNamesFailNamingTheProperty() {
        assertThatThrownBy(() -> EngineSettings.of(params("maxmemry", "1mb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cachalot.engine.maxmemry: no such engine parameter")
                .hasMessageContaining("did you mean cachalot.engine.maxmemory?");
        assertThatThrownBy(() -> EngineSettings.of(params("x", "1")))
                .hasMessageStartingWith("cachalot.engine.x: no such engine parameter");
    }

    @Test
    void badValuesFailNamingThePropertyAndHidingPasswords() {
        assertThatThrownBy(() -> EngineSettings.of(params("maxmemory", "lots")))
                .hasMessage("cachalot.engine.maxmemory='lots': argument must be a memory value");
        assertThatThrownBy(() -> EngineSettings.of(params("maxmemory-policy", "fifo")))
                .hasMessageStartingWith("cachalot.engine.maxmemory-policy='fifo': ");
        assertThatThrownBy(() -> EngineSettings.of(params("cluster-enabled", "yes")))
                .hasMessageContaining("not available in this version");
        assertThatThrownBy(() -> EngineSettings.of(params("maxmemory", "1mb", "maxmemoryPolicy", "allkeys-lru",
                "maxmemory_policy", "noeviction")))
                .hasMessageContaining("cachalot.engine.maxmemory_policy sets maxmemory-policy again");
    }

    /** Settings that would do nothing in an application's engine are refused, saying what to use. */
    @Test
    void redisParametersNotAppliedAreKeptAndUnbuiltFeaturesRefused() {
        Settings s = EngineSettings.of(params("lazyfree-lazy-eviction", "yes", "jemalloc-bg-thread", "no"));
        assertThat(s.config.find("lazyfree-lazy-eviction").get()).isEqualTo("yes");
        assertThatThrownBy(() -> EngineSettings.of(params("aof-timestamp-enabled", "yes")))
                .hasMessage("cachalot.engine.aof-timestamp-enabled='yes': AOF timestamp annotations are not written");
    }

    @Test
    void serverOnlyParametersAreRefused() {
        assertThatThrownBy(() -> EngineSettings.of(params("port", "7000"))).hasMessageContaining("cachalot.resp.port");
        assertThatThrownBy(() -> EngineSettings.of(params("bind", "0.0.0.0"))).hasMessageContaining("cachalot.resp.bind");
        assertThatThrownBy(() -> EngineSettings.of(params("loglevel", "debug"))).hasMessageContaining("SLF4J");
        assertThatThrownBy(() -> EngineSettings.of(params("logfile", "x.log"))).hasMessageContaining("SLF4J");
    }

    @Test
    void managerPropertiesAreCheckedAsAWhole() {
        Properties p = new Properties();
        p.setProperty("cachalot.cache.my.cache.max-entries", "5"); // a cache name with dots
        p.setProperty("cachalot.default.memoize-values", "false");
        p.setProperty("cachalot.engine.maxmemory", "1mb");
        p.setProperty("cachalot.codec", "JSON");
        p.setProperty("cachalot.json.trusted-packages", "com.example, org.acme.model");
        p.setProperty("other.library.setting", "not ours");
        ManagerSettings m = ManagerSettings.of(p);
        assertThat(m.engine().maxmemory.value()).isEqualTo(1L << 20);
        assertThat(m.valueFormat()).isEqualTo(ManagerSettings.ValueFormat.JSON);
        assertThat(m.trustedPackages()).containsExactly("com.example", "org.acme.model");
        assertThat(m.respPort()).isNull();

        for (String unknown : new String[] {"cachalot.foo", "cachalot.cache.users.max-entires", "cachalot.default.ttl",
                "cachalot.resp.prot"}) {
            Properties q = new Properties();
            q.setProperty(unknown, "1");
            assertThatThrownBy(() -> ManagerSettings.of(q)).as(unknown)
                    .hasMessageStartingWith(unknown + ": no such Cachalot property");
        }
        Properties bad = new Properties();
        bad.setProperty("cachalot.codec", "xml");
        assertThatThrownBy(() -> ManagerSettings.of(bad)).hasMessage("cachalot.codec must be java or json: xml");
    }
}
