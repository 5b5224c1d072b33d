package com.example.oca;

import eu.chargetime.ocpp.CallErrorException;
import eu.chargetime.ocpp.model.Confirmation;
import eu.chargetime.ocpp.model.Request;
import eu.chargetime.ocpp.model.core.AuthorizeConfirmation;
import eu.chargetime.ocpp.model.core.ChargePointStatus;
import eu.chargetime.ocpp.model.core.StartTransactionConfirmation;
import io.breakwater.testkit.OcaChargePoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * A charge point application on Java-OCA-OCPP's {@code JSONClient}, knowing nothing of Breakwater:
 * {@code OcaChargePointApp <csms url> <charge point id>}. Reads commands {@code <n> <VERB> args...}
 * from stdin, sends each as the library's request, and prints {@code <n> OK <reply>} or
 * {@code <n> ERR <exception> [<CALLERROR code>]} once the library's future completes (or
 * {@code send} throws). Verbs: BOOT, HEARTBEAT, AUTH tag, STATUS connector status,
 * START connector tag meterStart, METER connector transactionId wh, STOP transactionId meterStop,
 * CONNECTED.
 */
public final class OcaChargePointApp {
    private OcaChargePointApp() {}

    public static void main(String[] args) throws Exception {
        try (OcaChargePoint chargePoint = new OcaChargePoint(args[0], args[1]).connect();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.trim().split(" ");
                String id = c[0];
                if (c[1].equals("CONNECTED")) {
                    print(id + " OK " + chargePoint.isOpen());
                    continue;
                }
                try {
                    Request request = switch (c[1]) {
                        case "BOOT" -> chargePoint.boot();
                        case "HEARTBEAT" -> chargePoint.heartbeat();
                        case "AUTH" -> chargePoint.authorize(c[2]);
                        case "STATUS" -> chargePoint.status(Integer.parseInt(c[2]), ChargePointStatus.valueOf(c[3]));
                        case "START" -> chargePoint.start(Integer.parseInt(c[2]), c[3], Integer.parseInt(c[4]));
                        case "METER" -> chargePoint.meterValues(Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]));
                        case "STOP" -> chargePoint.stop(Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                        default -> throw new IllegalArgumentException("unknown command " + c[1]);
                    };
                    chargePoint.send(request).whenComplete((reply, error) ->
                            print(id + (error == null ? " OK " + describe(reply) : " ERR " + describe(error))));
                } catch (Exception e) {
                    print(id + " ERR " + describe(e));
                }
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
    }

    private static String describe(Confirmation reply) {
        if (reply instanceof StartTransactionConfirmation start) {
            return "transactionId=" + start.getTransactionId() + " status=" + start.getIdTagInfo().getStatus();
        }
        if (reply instanceof AuthorizeConfirmation authorize) {
            return "status=" + authorize.getIdTagInfo().getStatus();
        }
        return reply.getClass().getSimpleName();
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + (cause instanceof CallErrorException callError ? " " + callError.getErrorCode() : "");
    }
}
