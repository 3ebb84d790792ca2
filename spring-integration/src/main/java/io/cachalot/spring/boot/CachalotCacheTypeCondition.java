package io.cachalot.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Locale;

/**
 * {@code spring.cache.type} as Boot's own cache auto-configuration reads it (its
 * {@code CacheCondition}): Cachalot's cache manager is configured when the property is unset, or
 * when it names Cachalot's type, {@value #TYPE}; any other value ({@code none}, {@code simple},
 * {@code redis}, {@code jcache}...) leaves the choice to Boot. Names compare as Boot compares enum
 * values: ignoring case and any character that is not a letter or a digit.
 *
 * <p>{@code cachalot} is not one of Boot's {@code CacheType} values, so Boot's
 * {@code CacheProperties} could not hold it; Cachalot reads {@code spring.cache.type} and
 * {@code spring.cache.cache-names} itself, and Boot's cache auto-configuration, which binds
 * {@code CacheProperties}, stays off because Cachalot's cache manager exists.
 */
class CachalotCacheTypeCondition extends SpringBootCondition {
    /** The value of {@code spring.cache.type} that selects Cachalot. */
    static final String TYPE = "cachalot";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Cachalot cache type");
        BindResult<String> specified = Binder.get(context.getEnvironment()).bind("spring.cache.type", String.class);
        if (!specified.isBound() || specified.get().isBlank()) {
            return ConditionOutcome.match(message.because("automatic cache type"));
        }
        if (canonical(specified.get()).equals(TYPE)) {
            return ConditionOutcome.match(message.because(TYPE + " cache type"));
        }
        return ConditionOutcome.noMatch(message.because("spring.cache.type is " + specified.get()));
    }

    private static String canonical(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
