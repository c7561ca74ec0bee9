package io.stenographer.application.port.in;

import java.util.List;

/**
 * The database's settings no longer keep a committed event on disk through a crash (found while running), so no event
 * is accepted: a receipt would promise what the database cannot keep. Ends when the settings are restored.
 */
public class DurabilityLost extends RuntimeException {

    public DurabilityLost(List<String> violations) {
        super("the database's settings no longer keep a stored event through a crash ("
                + String.join(", ", violations) + "), so no event is accepted until an operator restores them;"
                + " nothing of this request was stored, retry later");
    }
}
