package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Configuration that cannot work is refused before anything starts, in one line naming the option. */
class MainTest {

    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        return err.toString();
    }

    @Test
    void aSharedDatabaseWithoutAMasterKey_isRefusedInOneLine() {
        String refusal = refusal("start", "--role", "control-plane", "--db-url",
                "jdbc:postgresql://127.0.0.1:1/gatehouse", "--master-key", "");

        assertThat(refusal).startsWith("gatehouse: master-key is required with --db-url").hasLineCount(1);
    }

    @Test
    void aMasterKeyOfTheWrongSize_isRefusedInOneLine() {
        String refusal = refusal("start", "--master-key", "c2hvcnQ=");

        assertThat(refusal).isEqualToIgnoringNewLines("gatehouse: master-key must be 32 bytes, was 5");
    }
}
