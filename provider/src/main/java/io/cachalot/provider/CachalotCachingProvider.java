package io.cachalot.provider;

import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * Cachalot's JSR-107 {@link CachingProvider}: each CacheManager runs an embedded Cachalot engine.
 *
 * <p>A CacheManager URI may name a properties file with vendor settings: {@code file:/path.properties}
 * or {@code classpath:name.properties}; properties passed to {@link #getCacheManager(URI,
 * ClassLoader, Properties)} override the file's. Other URIs are names only.
 */
public final class CachalotCachingProvider implements CachingProvider {
    /** The URI of the default CacheManager. */
    public static final URI DEFAULT_URI = URI.create("urn:cachalot:default");

    private final WeakHashMap<ClassLoader, Map<URI, CachalotCacheManager>> managers = new WeakHashMap<>();

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI u = uri == null ? getDefaultURI() : uri;
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Map<URI, CachalotCacheManager> byUri = managers.computeIfAbsent(cl, k -> new HashMap<>());
        CachalotCacheManager m = byUri.get(u);
        if (m == null || m.isClosed()) {
            Properties merged = new Properties();
            merged.putAll(systemDefaults(cl));
            merged.putAll(fileProperties(u, cl));
            if (properties != null) {
                merged.putAll(properties);
            }
            m = new CachalotCacheManager(this, u, cl, properties == null ? merged : mergedKeepingCaller(properties, merged));
            byUri.put(u, m);
        }
        return m;
    }

    /** The caller's Properties object when the URI adds nothing, so getProperties() returns what was given. */
    private static Properties mergedKeepingCaller(Properties given, Properties merged) {
        return merged.size() == given.size() ? given : merged;
    }

    /** The system property naming the settings every CacheManager of this provider starts from. */
    public static final String CONFIG_PROPERTY = "cachalot.config";

    /**
     * The settings of the file or classpath resource the system property {@value #CONFIG_PROPERTY}
     * names ({@code file:/…/x.properties}, {@code classpath:x.properties} or a path), under those
     * of a manager's URI and the caller's: e.g. remote mode for every manager of an application
     * that only calls {@code Caching.getCachingProvider().getCacheManager()}.
     */
    private static Properties systemDefaults(ClassLoader cl) {
        String where = System.getProperty(CONFIG_PROPERTY);
        if (where == null || where.isBlank()) {
            return new Properties();
        }
        URI u = where.startsWith("classpath:") || where.startsWith("file:") ? URI.create(where.trim())
                : Path.of(where.trim()).toUri();
        if (!u.getSchemeSpecificPart().endsWith(".properties")) {
            throw new CacheException(CONFIG_PROPERTY + " must name a .properties file: " + where);
        }
        return fileProperties(u, cl);
    }

    private static Properties fileProperties(URI uri, ClassLoader cl) {
        Properties p = new Properties();
        String scheme = uri.getScheme();
        try {
            if ("file".equals(scheme) && uri.getPath() != null && uri.getPath().endsWith(".properties")) {
                try (InputStream in = Files.newInputStream(Path.of(uri))) {
                    p.load(in);
                }
            } else if ("classpath".equals(scheme)) {
                String res = uri.getSchemeSpecificPart();
                res = res.startsWith("/") ? res.substring(1) : res;
                try (InputStream in = cl.getResourceAsStream(res)) {
                    if (in == null) {
                        throw new CacheException("no classpath resource " + res + " for CacheManager " + uri);
                    }
                    p.load(in);
                }
            }
        } catch (IOException e) {
            throw new CacheException("cannot read the settings of CacheManager " + uri + ": " + e.getMessage(), e);
        }
        return p;
    }

    synchronized void released(CachalotCacheManager m) {
        Map<URI, CachalotCacheManager> byUri = managers.get(m.getClassLoader());
        if (byUri != null) {
            byUri.remove(m.getURI(), m);
            if (byUri.isEmpty()) {
                managers.remove(m.getClassLoader());
            }
        }
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return DEFAULT_URI;
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, null);
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), null);
    }

    @Override
    public void close() {
        CachalotCacheManager[] all;
        synchronized (this) {
            all = managers.values().stream().flatMap(m -> m.values().stream()).toArray(CachalotCacheManager[]::new);
        }
        for (CachalotCacheManager m : all) {
            m.close();
        }
    }

    @Override
    public void close(ClassLoader classLoader) {
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        CachalotCacheManager[] all;
        synchronized (this) {
            Map<URI, CachalotCacheManager> byUri = managers.get(cl);
            all = byUri == null ? new CachalotCacheManager[0] : byUri.values().toArray(new CachalotCacheManager[0]);
        }
        for (CachalotCacheManager m : all) {
            m.close();
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        URI u = uri == null ? getDefaultURI() : uri;
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        CachalotCacheManager m;
        synchronized (this) {
            Map<URI, CachalotCacheManager> byUri = managers.get(cl);
            m = byUri == null ? null : byUri.get(u);
        }
        if (m != null) {
            m.close();
        }
    }

    @Override
    public boolean isSupported(OptionalFeature feature) {
        // by reference only in the application's JVM: not when the managers default to a remote store
        return feature == OptionalFeature.STORE_BY_REFERENCE
                && !"remote".equalsIgnoreCase(String.valueOf(systemDefaults(getDefaultClassLoader())
                        .getProperty("cachalot.mode")).trim());
    }
}
