package dev.assay.sandbox.bwrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A fixture as a GNU tar stream (directories, regular files, symlinks; long names as ././@LongLink
 * entries). The fixture enters the sandbox this way, unpacked by tar inside as the sandbox's user: the
 * host cannot create files in the sandbox's tmpfs itself when it is root (uid 0 has no mapping there), and
 * the fixture need not be readable by that user.
 */
final class Tar {
    private Tar() {
    }

    static byte[] of(Path root) throws IOException {
        var out = new ByteArrayOutputStream();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) entry(out, name(root, dir) + "/", '5', mode(dir), new byte[0], "");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    entry(out, name(root, file), '2', 0777, new byte[0], Files.readSymbolicLink(file).toString());
                } else if (attrs.isRegularFile()) {
                    entry(out, name(root, file), '0', mode(file), Files.readAllBytes(file), "");
                } // fifos, sockets, devices: not copied
                return FileVisitResult.CONTINUE;
            }
        });
        out.write(new byte[1024]); // end of archive
        return out.toByteArray();
    }

    private static String name(Path root, Path p) {
        var sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int m = 0;
        for (var x : perms) m |= 1 << (8 - x.ordinal());
        return m;
    }

    private static void entry(ByteArrayOutputStream out, String name, char type, int mode, byte[] data, String link)
            throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] l = link.getBytes(StandardCharsets.UTF_8);
        if (n.length > 99) longName(out, 'L', n);
        if (l.length > 99) longName(out, 'K', l);
        out.write(header(n.length > 99 ? trim(n) : n, type, mode, data.length, l.length > 99 ? trim(l) : l));
        out.write(data);
        pad(out, data.length);
    }

    private static void longName(ByteArrayOutputStream out, char type, byte[] value) throws IOException {
        byte[] data = new byte[value.length + 1]; // NUL-terminated
        System.arraycopy(value, 0, data, 0, value.length);
        out.write(header("././@LongLink".getBytes(StandardCharsets.US_ASCII), type, 0, data.length, new byte[0]));
        out.write(data);
        pad(out, data.length);
    }

    private static byte[] trim(byte[] b) {
        byte[] t = new byte[99];
        System.arraycopy(b, 0, t, 0, 99);
        return t;
    }

    private static byte[] header(byte[] name, char type, int mode, long size, byte[] link) {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy(link, 0, h, 157, link.length);
        byte[] magic = "ustar  \0".getBytes(StandardCharsets.US_ASCII); // GNU magic + version
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, h, 148, 8);
        return h;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException("fixture file too large for tar: " + v + " bytes");
        s = "0".repeat(len - 1 - s.length()) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static void pad(ByteArrayOutputStream out, long size) {
        int r = (int) (size % 512);
        if (r != 0) out.write(new byte[512 - r], 0, 512 - r);
    }
}
