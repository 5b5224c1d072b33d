package io.breakwater.agent.cli;

import java.io.PrintStream;
import java.util.List;

/** One CLI command: its arguments after the command name, its report on standard output, its exit code. */
interface Command {
    int run(List<String> arguments, PrintStream out) throws CliException;
}
