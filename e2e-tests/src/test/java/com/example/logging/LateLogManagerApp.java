package com.example.logging;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import redis.clients.jedis.Jedis;

/**
 * An application that names its own {@code java.util.logging} LogManager only after it has used
 * Redis, as one on JBoss Modules or WildFly does (its LogManager class is loadable only later). It
 * uses a plain {@link Jedis} (no pool: commons-pool2 would start JMX, and with it JDK logging, by
 * itself), so its first call waits for the agent's start. Then it answers commands read from
 * standard input, {@code <id> <command> [arguments]}, with a line {@code <id> OK <reply>} or
 * {@code <id> ERR <exception>}; {@code LOGMANAGER} names {@link AppLogManager} and replies with the
 * class of the LogManager JDK logging then has.
 */
public final class LateLogManagerApp {
    private LateLogManagerApp() {}

    /** The application's own LogManager. */
    public static final class AppLogManager extends LogManager {
        public AppLogManager() {
            super();
        }
    }

    public static void main(String[] args) throws Exception {
        try (Jedis redis = new Jedis("127.0.0.1", Integer.parseInt(args[0]));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            redis.set("late-logmanager:started", "yes");
            System.out.println("READY " + redis.get("late-logmanager:started"));
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(" ");
                try {
                    Object reply = switch (c[1]) {
                        case "LOGMANAGER" -> {
                            System.setProperty("java.util.logging.manager", AppLogManager.class.getName());
                            yield LogManager.getLogManager().getClass().getName();
                        }
                        case "SET" -> redis.set(c[2], c[3]);
                        case "GET" -> redis.get(c[2]);
                        default -> "unknown command";
                    };
                    System.out.println(c[0] + " OK " + reply);
                } catch (RuntimeException e) {
                    System.out.println(c[0] + " ERR " + e.getClass().getName());
                }
            }
        }
    }
}
