package io.cachalot.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachalot.provider.codec.Codec;
import io.cachalot.provider.codec.JsonCodec;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.cache.support.NullValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON codec of {@code cachalot.codec=json} in a Boot application (kept apart so that nothing
 * else loads Jackson's classes): on the application's {@code ObjectMapper} when it has one (its
 * modules, e.g. java.time, and settings), trusting {@code cachalot.json.trusted-packages} and the
 * application's own packages (those {@code @SpringBootApplication} scans).
 */
final class BootJsonCodec {
    private BootJsonCodec() {
    }

    static Codec<Object> create(BeanFactory beanFactory, List<String> trustedPackages, ClassLoader classLoader) {
        List<String> trusted = new ArrayList<>(trustedPackages);
        if (AutoConfigurationPackages.has(beanFactory)) {
            for (String p : AutoConfigurationPackages.get(beanFactory)) {
                if (!p.isBlank()) {
                    trusted.add(p);
                }
            }
        }
        ObjectMapper mapper = beanFactory.getBeanProvider(ObjectMapper.class).getIfUnique();
        JsonCodec.Builder<Object> b = JsonCodec.builder(Object.class).trust(trusted).nullValue(NullValue.INSTANCE);
        if (mapper != null) {
            b.objectMapper(mapper);
        }
        if (classLoader != null) {
            b.classLoader(classLoader);
        }
        return b.build();
    }
}
