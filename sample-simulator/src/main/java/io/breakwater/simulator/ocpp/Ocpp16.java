package io.breakwater.simulator.ocpp;

import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/** OCPP 1.6J over WebSocket: the subprotocol both sides must agree on. */
public final class Ocpp16 {

    public static final String SUBPROTOCOL = "ocpp1.6";

    private Ocpp16() {
    }

    /** A fresh draft offering/accepting only {@code ocpp1.6}; drafts carry handshake state, so never share one between clients. */
    public static Draft draft() {
        List<IProtocol> protocols = List.of(new Protocol(SUBPROTOCOL));
        return new Draft_6455(List.of(), protocols);
    }
}
