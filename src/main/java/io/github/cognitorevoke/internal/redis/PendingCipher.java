package io.github.cognitorevoke.internal.redis;

import io.github.cognitorevoke.internal.PendingStore.Pending;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a pending entry for Redis: AES-256-GCM with a random 96-bit IV per write and the Redis key
 * name as additional authenticated data, so a blob opens only with the key and only under its own
 * name (a blob copied to another entry's name fails). Text: base64 of version, IV, ciphertext and tag.
 */
final class PendingCipher {

    /** Thrown when a blob does not open: another key, another name, or not a blob of ours. */
    static final class SealBroken extends Exception {
        SealBroken(String message) {
            super(message);
        }
    }

    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param key the 32-byte AES key; copied, so the caller may wipe its array
     */
    PendingCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * @param name    the Redis key the blob is written under
     * @param pending the entry
     * @return the blob, base64 text
     */
    String seal(String name, Pending pending) {
        byte[] plain = plaintext(pending);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(1 + IV_BYTES + sealed.length)
                    .put(VERSION).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is on every Java platform: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * @param name the Redis key the blob was read from
     * @param id   the entry's id (the end of that name)
     * @param blob the blob
     * @return the entry
     * @throws SealBroken if the blob does not open with this key under this name
     */
    Pending open(String name, String id, String blob) throws SealBroken {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(blob);
        } catch (IllegalArgumentException e) {
            throw new SealBroken("not base64");
        }
        if (raw.length < 1 + IV_BYTES + TAG_BITS / 8 || raw[0] != VERSION) {
            throw new SealBroken("not a sealed entry of version " + VERSION);
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, IV_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            plain = cipher.doFinal(raw, 1 + IV_BYTES, raw.length - 1 - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SealBroken("does not open with this key under this name (" + e.getClass().getSimpleName() + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            boolean signOut = in.readBoolean();
            boolean verified = in.readBoolean();
            Instant deadline = Instant.ofEpochMilli(in.readLong());
            String subject = signOut ? in.readUTF() : null;
            byte[] credential = in.readNBytes(in.readInt());
            return new Pending(id, signOut, verified, subject, new String(credential, StandardCharsets.UTF_8), deadline);
        } catch (IOException | RuntimeException e) {
            throw new SealBroken("opens but is malformed (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] plaintext(Pending p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 3 * p.credential().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(p.globalSignOut());
            out.writeBoolean(p.verified());
            out.writeLong(p.deadline().toEpochMilli());
            if (p.globalSignOut()) {
                out.writeUTF(p.subject());
            }
            byte[] credential = p.credential().getBytes(StandardCharsets.UTF_8);
            out.writeInt(credential.length);
            out.write(credential);
            Arrays.fill(credential, (byte) 0);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }
}
