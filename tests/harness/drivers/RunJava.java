import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Run many compiled snippets in one JVM: args are the results file, then each snippet's class.
 *
 * <p>Each snippet's main runs in turn with System.out captured; one line per snippet is written
 * (and flushed) to the results file: "ok" or "error", its stdout and its error, both base64. A
 * snippet that calls System.exit ends the JVM: the lines written so far say how far it got.
 */
public class RunJava {
    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        Base64.Encoder base64 = Base64.getEncoder();
        try (Writer results = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
            for (int i = 1; i < args.length; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                String error = null;
                try {
                    Class.forName(args[i])
                        .getMethod("main", String[].class)
                        .invoke(null, (Object) new String[0]);
                } catch (InvocationTargetException e) {
                    error = trace(e.getCause());
                } catch (Throwable e) {
                    error = trace(e);
                } finally {
                    System.out.flush();
                    System.setOut(realOut);
                }
                results.write((error == null ? "ok" : "error") + " "
                    + base64.encodeToString(out.toByteArray()) + " "
                    + base64.encodeToString((error == null ? "" : error)
                        .getBytes(StandardCharsets.UTF_8)) + "\n");
                results.flush();
            }
        }
    }

    static String trace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
