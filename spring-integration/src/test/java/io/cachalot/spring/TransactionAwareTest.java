package io.cachalot.spring;

import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** Transaction-aware caches defer puts and evicts to after commit, and drop them on rollback. */
class TransactionAwareTest {
    @Test
    void writesWaitForTheCommit() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().transactionAware().build()) {
            Cache c = m.getCache("tx");
            c.put("old", "1");
            TransactionSynchronizationManager.initSynchronization();
            try {
                c.put("k", "v");
                c.evict("old");
                assertThat(c.get("k")).isNull();
                assertThat(c.get("old")).isNotNull();
                TransactionSynchronizationUtils.triggerAfterCommit();
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
            assertThat(c.get("k").get()).isEqualTo("v");
            assertThat(c.get("old")).isNull();
        }
    }

    @Test
    void rollbackDropsTheWrites() {
        try (CachalotSpringCacheManager m = CachalotSpringCacheManager.builder().transactionAware().build()) {
            Cache c = m.getCache("tx");
            TransactionSynchronizationManager.initSynchronization();
            try {
                c.put("k", "v");
                for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
                    s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK);
                }
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
            assertThat(c.get("k")).isNull();
            c.put("k", "outside"); // no transaction: at once
            assertThat(c.get("k").get()).isEqualTo("outside");
        }
    }
}
