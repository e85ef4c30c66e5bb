// Runs EPUBCheck on several books in one JVM (the JVM start is most of its run time).
// Usage: java -cp epubcheck.jar EpubCheckBatch.java BOOK.epub REPORT.json [BOOK REPORT ...]
// Each book is checked with usage messages on (--usage) and reported as JSON.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: EpubCheckBatch BOOK.epub REPORT.json [BOOK REPORT ...]");
            System.exit(2);
        }
        int worst = 0;
        for (int i = 0; i < args.length; i += 2) {
            String[] options = {args[i], "--usage", "--json", args[i + 1]};
            worst = Math.max(worst, new EpubChecker().run(options));
        }
        System.exit(worst);
    }
}
