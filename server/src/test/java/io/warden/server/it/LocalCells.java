package io.warden.server.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns the {@link LocalCell}s a test opens: after the test it closes them (every process killed,
 * files deleted), first printing each replica's log tail if the test failed, so that a failure
 * arrives with the servers' side of the story. Register with {@code @RegisterExtension}.
 */
final class LocalCells implements AfterEachCallback {
    private static final int TAIL_LINES = 60;
    private final List<LocalCell> open = new ArrayList<>();

    /** Creates a cell and starts all its replicas at once (without waiting for them). */
    LocalCell start(String name, int replicas, LocalCell.Timings timings) throws IOException {
        return start(name, replicas, timings, Map.of());
    }

    /** As above, with these fields in every replica's {@code limits}. */
    LocalCell start(String name, int replicas, LocalCell.Timings timings, Map<String, Long> limits) throws IOException {
        LocalCell cell = LocalCell.create(name, replicas, timings, limits);
        open.add(cell);
        cell.startAll();
        return cell;
    }

    /** As {@link #start}, with authentication (see {@link LocalCell#createWithAuth}). */
    LocalCell startSecure(String name, int replicas, LocalCell.Timings timings, com.fasterxml.jackson.databind.node.ObjectNode auth,
                          String token) throws IOException {
        LocalCell cell = LocalCell.createWithAuth(name, replicas, timings, auth, token);
        open.add(cell);
        cell.startAll();
        return cell;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean failed = context.getExecutionException().isPresent();
        for (LocalCell cell : open) {
            if (failed) {
                System.out.println("===== " + context.getDisplayName() + " failed; the cell's replicas at the end:"
                    + cell.views());
                cell.printLogTails(System.out, TAIL_LINES);
            }
            cell.close();
        }
        open.clear();
    }
}
