package io.cachalot.provider.management;

import javax.cache.CacheException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers cache MXBeans in the platform MBeanServer under JSR-107's names:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 */
public final class MBeans {
    public static final String CONFIGURATION = "CacheConfiguration";
    public static final String STATISTICS = "CacheStatistics";

    private MBeans() {
    }

    public static ObjectName name(String type, String managerUri, String cacheName) {
        try {
            return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + safe(managerUri)
                    + ",Cache=" + safe(cacheName));
        } catch (MalformedObjectNameException e) {
            throw new CacheException("illegal MBean name for cache " + cacheName, e);
        }
    }

    /** Characters with a meaning in object names are replaced by dots. */
    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == ',' || c == ':' || c == '=' || c == '\n' || c == '*' || c == '?' || c == '"' ? '.' : c);
        }
        return b.toString();
    }

    public static synchronized void register(Object bean, ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (Exception e) {
            throw new CacheException("cannot register MBean " + name, e);
        }
    }

    public static synchronized void unregister(ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (InstanceNotFoundException e) {
            // already gone
        } catch (Exception e) {
            throw new CacheException("cannot unregister MBean " + name, e);
        }
    }
}
