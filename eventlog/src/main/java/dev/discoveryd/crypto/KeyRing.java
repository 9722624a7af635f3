package dev.discoveryd.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's at-rest keys: AES-256-GCM sealing, keyed hashes for chaining records and for blinding identifiers.
 *
 * <p>Key file format (UTF-8 text): one key per line, {@code <id>:<base64 of 32 random bytes>}, where id is an integer
 * 1..65535; blank lines and lines starting with {@code #} are ignored. Keys are listed oldest first, newest last. Several
 * files may be given; their keys are concatenated in the order the files are given. A new key line can be made with
 * {@link #newKeyLine(int)} (or {@code printf '2:%s\n' "$(head -c32 /dev/urandom | base64)"}).
 *
 * <p>Rotation: add a new line at the end. The newest key seals everything from then on and all keys open. A key may be
 * removed once nothing sealed under it is kept (log cycles past retention, snapshots rewritten).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KeyRing {
    /** File name of the generated key under the data directory when no key file is configured. */
    public static final String GENERATED_KEY_FILE = "at-rest.key";
    public static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NonceSequence nonces = new NonceSequence(RANDOM);
    private final Map<Integer, ServiceKey> keys;
    private final ServiceKey newest;
    private final ServiceKey oldest;

    private KeyRing(List<ServiceKey> ordered) {
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException("no at-rest key configured");
        }
        Map<Integer, ServiceKey> byId = new LinkedHashMap<>();
        for (ServiceKey k : ordered) {
            if (byId.put(k.id(), k) != null) {
                throw new IllegalArgumentException("at-rest key id " + k.id() + " is listed twice");
            }
        }
        this.keys = Collections.unmodifiableMap(byId);
        this.newest = ordered.get(ordered.size() - 1);
        this.oldest = ordered.get(0);
    }

    /**
     * Loads the keys of {@code keyFiles}; with none given, loads {@code dataDir/at-rest.key}, generating it (mode 0600,
     * with a warning) when it does not exist yet.
     */
    public static KeyRing loadOrCreate(Path dataDir, List<Path> keyFiles) {
        try {
            if (!keyFiles.isEmpty()) {
                List<ServiceKey> all = new ArrayList<>();
                for (Path file : keyFiles) {
                    all.addAll(parseLines(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
                }
                return new KeyRing(all);
            }
            Path generated = dataDir.resolve(GENERATED_KEY_FILE);
            if (!Files.exists(generated)) {
                Files.createDirectories(dataDir);
                writePrivate(generated, newKeyLine(1) + "\n");
                LOG.warn("No --at-rest-key-file given: generated a new at-rest key in {}; back it up, without it the data "
                        + "directory cannot be read", generated);
            }
            return new KeyRing(parseLines(Files.readString(generated, StandardCharsets.UTF_8), generated.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load at-rest keys: " + e.getMessage(), e);
        }
    }

    /** Parses key-file text (see the class comment). */
    public static KeyRing parse(String keyFileText) {
        return new KeyRing(parseLines(keyFileText, "key text"));
    }

    /** A ring with one fresh random key with the given id (tests, benchmarks, tools). */
    public static KeyRing generate(int id) {
        return parse(newKeyLine(id));
    }

    /** A key-file line holding a fresh random 256-bit key. */
    public static String newKeyLine(int id) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    /** This ring plus {@code newer} appended as the newest key (rotation in code and tests). */
    public KeyRing withNewest(KeyRing newer) {
        List<ServiceKey> all = new ArrayList<>(keys.values());
        all.addAll(newer.keys.values());
        return new KeyRing(all);
    }

    public int newestKeyId() {
        return newest.id();
    }

    public boolean hasKey(int id) {
        return keys.containsKey(id);
    }

    /**
     * Encrypts and authenticates {@code plaintext} under the newest key. Output: key id (2 bytes, big-endian), nonce
     * (12 bytes, never repeated: {@link NonceSequence}), ciphertext with its 16-byte GCM tag. {@code associatedData} is authenticated, not stored.
     */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        return newest.seal(plaintext, associatedData, nonces);
    }

    /** Opens what {@link #seal} produced, under whichever configured key its id names. */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed.length < ServiceKey.SEAL_OVERHEAD) {
            throw new SealException("sealed value too short");
        }
        int id = ByteBuffer.wrap(sealed, 0, 2).getShort() & 0xFFFF;
        return key(id).open(sealed, associatedData);
    }

    /**
     * As {@link #open} of {@code sealed[offset, offset + length)}, the plaintext written into {@code out} at its
     * position (room for {@code length} bytes needed; the position advances); returns its length. Authentication fails
     * as {@link #open} does.
     */
    public int openInto(byte[] sealed, int offset, int length, byte[] associatedData, ByteBuffer out) {
        if (length < ServiceKey.SEAL_OVERHEAD) {
            throw new SealException("sealed value too short");
        }
        int id = ByteBuffer.wrap(sealed, offset, 2).getShort() & 0xFFFF;
        return key(id).openInto(sealed, offset, length, associatedData, out);
    }

    /**
     * HMAC-SHA256 over the concatenated parts, under a MAC subkey of the newest key. Rotation changes the result, so a
     * value that must be re-checked later should be computed with {@link #mac(int, byte[]...)} under a key id stored
     * beside it (the event log does this: each record is chained under the key that sealed it).
     */
    public byte[] mac(byte[]... parts) {
        return newest.mac(parts);
    }

    /** HMAC-SHA256 under the MAC subkey of key {@code keyId}; fails when that key is not configured. */
    public byte[] mac(int keyId, byte[]... parts) {
        return key(keyId).mac(parts);
    }

    /**
     * Deterministic keyed hash (HMAC-SHA256, 32 bytes) of {@code value} in {@code context}, for lookup keys that must
     * not reveal identifiers. Uses the oldest configured key, so adding keys does not change results; removing the
     * oldest key changes every blinded value (stores keyed by them must then be rebuilt).
     */
    public byte[] blind(String context, byte[] value) {
        return oldest.blind(context.getBytes(StandardCharsets.UTF_8), value);
    }

    private ServiceKey key(int id) {
        ServiceKey k = keys.get(id);
        if (k == null) {
            throw new SealException("at-rest key " + id + " is not configured");
        }
        return k;
    }

    private static List<ServiceKey> parseLines(String text, String source) {
        List<ServiceKey> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            try {
                int id = Integer.parseInt(line.substring(0, Math.max(colon, 0)));
                byte[] key = Base64.getDecoder().decode(line.substring(colon + 1));
                out.add(new ServiceKey(id, key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected <id>:<base64 32-byte key> ("
                        + e.getMessage() + ")");
            }
        }
        return out;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
