package io.warden.server.http;

import io.warden.server.cell.CellResult;

/** Turns a command's result into the answer a resource expects, or into the problem it names. */
final class Results {
    private Results() {}

    /**
     * {@code r} as {@code type}; a {@link CellResult.Refused} becomes its problem (a 4xx: the state
     * refused the command whole and changed nothing).
     */
    static <T extends CellResult> T expect(CellResult r, Class<T> type) {
        if (r instanceof CellResult.Refused refused) throw new ApiException(Problems.refused(refused));
        if (type.isInstance(r)) return type.cast(r);
        throw new IllegalStateException("a " + type.getSimpleName() + " was expected, the cell answered " + r);
    }
}
