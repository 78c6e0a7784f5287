import java.io.FileInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads a ZIP front to back with ZipInputStream, as Java tools do, and prints "name<TAB>sha256<TAB>mtime" per entry. */
public class ReadZip {
    public static void main(String[] args) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new FileInputStream(args[0]), java.nio.charset.StandardCharsets.UTF_8)) {
            byte[] buffer = new byte[65536];
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
                System.out.println(entry.getName() + "\t" + HexFormat.of().formatHex(digest.digest())
                    + "\t" + entry.getLastModifiedTime().toMillis() / 1000);
            }
        }
    }
}
