package io.breakwater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void portsAskedForOneAfterAnotherAreAllDifferent() {
        // The demo test asks for five ports in a row and once got the same one for the CSMS and its control port.
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertThat(ports.add(FreePort.find())).as("port %d handed out twice", i).isTrue();
        }
    }

    @Test
    void aPortHandedOutCanBeListenedOn() throws IOException {
        int port = FreePort.find();
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
