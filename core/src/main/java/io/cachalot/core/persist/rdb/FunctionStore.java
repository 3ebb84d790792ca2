package io.cachalot.core.persist.rdb;

import java.util.List;

/**
 * The function libraries (FUNCTION LOAD), as persistence sees them: saved in RDB files and AOF
 * bases, emptied with the data before a reload, loaded back from a file.
 */
public interface FunctionStore {
    /** No functions (an engine without scripting). */
    FunctionStore NONE = new FunctionStore() {
        @Override
        public List<byte[]> codes() {
            return List.of();
        }

        @Override
        public void load(List<byte[]> codes, boolean replace) {
        }

        @Override
        public void clear() {
        }
    };

    /** Every library's code, in load order. */
    List<byte[]> codes();

    /**
     * Adds the libraries a file held; fails as Redis' load does (a name already there, bad code),
     * unless {@code replace} (DEBUG RELOAD MERGE): then a library of the file replaces its namesake.
     */
    void load(List<byte[]> codes, boolean replace) throws RdbFormatException;

    /** Forgets every library (emptyData before DEBUG RELOAD and DEBUG LOADAOF). */
    void clear();
}
