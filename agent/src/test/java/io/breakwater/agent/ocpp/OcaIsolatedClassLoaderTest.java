package io.breakwater.agent.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import eu.chargetime.ocpp.CallErrorException;
import eu.chargetime.ocpp.model.core.AuthorizeRequest;
import io.breakwater.agent.breaker.Outcome;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Java-OCA-OCPP in a class loader of its own (parent: the platform loader), as in a fat-jar or an
 * application server: the agent reads its objects and builds its replies and exceptions from that
 * loader, never from the copy it could see itself.
 */
class OcaIsolatedClassLoaderTest {

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void objectsOfAnIsolatedLoaderAreReadAndWhatTheAgentMakesComesFromThatLoader() throws Exception {
        URL[] oca = {jarOf(AuthorizeRequest.class), jarOf(CallErrorException.class)};
        try (URLClassLoader isolated = new URLClassLoader(oca, ClassLoader.getPlatformClassLoader())) {
            Class<?> authorizeRequest = isolated.loadClass("eu.chargetime.ocpp.model.core.AuthorizeRequest");
            assertThat(authorizeRequest).isNotSameAs(AuthorizeRequest.class);
            Object[] authorize = {authorizeRequest.getConstructor(String.class).newInstance("TAG")};

            OcaAccessor accessor = new OcaAccessor();
            assertThat(accessor.action(authorize)).isEqualTo("Authorize");
            assertThat(accessor.requestString(authorize, "idTag")).isEqualTo("TAG");
            Object reply = accessor.authorizeReply(authorize, IdTagInfo.withStatus("Accepted"));
            assertThat(reply.getClass().getName()).isEqualTo("eu.chargetime.ocpp.model.core.AuthorizeConfirmation");
            assertThat(reply.getClass().getClassLoader()).isSameAs(isolated);
            assertThat(accessor.idTagInfo(reply).status()).isEqualTo("Accepted");

            OcaStack stack = new OcaStack();
            Object stop = isolated.loadClass("eu.chargetime.ocpp.model.core.StopTransactionRequest").getConstructor().newInstance();
            Throwable refused = stack.refusal(new Object[] {stop});
            assertThat(refused.getClass().getName()).isEqualTo("eu.chargetime.ocpp.OccurenceConstraintException");
            assertThat(refused.getClass().getClassLoader()).isSameAs(isolated);

            Throwable notSent = stack.notSent(authorize[0], "not sent");
            assertThat(notSent.getClass().getName()).isEqualTo(OcaStack.CALL_ERROR);
            assertThat(notSent.getClass().getClassLoader()).isSameAs(isolated);
            assertThat(stack.classify(notSent)).isEqualTo(Outcome.FAILURE);
            Throwable callError = (Throwable) notSent.getClass().getConstructor(String.class, String.class, Object.class)
                    .newInstance("InternalError", "from the CSMS", null);
            assertThat(stack.classify(callError)).isEqualTo(Outcome.IGNORED);
        }
    }
}
