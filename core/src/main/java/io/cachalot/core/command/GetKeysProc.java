package io.cachalot.core.command;

import io.cachalot.core.command.meta.MetaNode;

import java.util.List;

/**
 * A command's own key finder, for commands whose keys or key flags depend on their arguments
 * beyond what key specs express (Redis' getkeys_proc): SET's key is read-write only with GET.
 */
@FunctionalInterface
public interface GetKeysProc {
    /** Adds key positions and their flags; false when the arguments are invalid. */
    boolean keys(byte[][] argv, int argc, KeySpec.IntList positions, List<MetaNode> flags);
}
