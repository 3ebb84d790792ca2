package io.cachalot.tck;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import javax.cache.annotation.BeanProvider;

/**
 * The TCK's annotation tests get their beans here: Spring's JSR-107 annotation interceptors over
 * a {@code JCacheCacheManager} backed by Cachalot's CacheManager.
 */
public final class SpringBeanProvider implements BeanProvider {
    /** Printed once so that the run check can tell the annotation tests really used this provider. */
    static final String MARKER = "cachalot-tck: annotation beans from Spring";

    private static AnnotationConfigApplicationContext context;

    private static synchronized AnnotationConfigApplicationContext context() {
        if (context == null) {
            context = new AnnotationConfigApplicationContext(TckAnnotationConfig.class);
            System.out.println(MARKER);
        }
        return context;
    }

    @Override
    public <T> T getBeanByType(Class<T> beanClass) {
        if (beanClass == null) {
            throw new NullPointerException("beanClass");
        }
        return context().getBean(beanClass);
    }
}
