package io.asyncbridge.simulator.acquia;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Issued Acquia access tokens and when each expires. */
public final class AcquiaTokenStore {

    private final Map<String, Long> expiryByToken = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long lifetimeMillis;

    public AcquiaTokenStore(long lifetimeMillis) {
        this.lifetimeMillis = lifetimeMillis;
    }

    public String issue(long nowMillis) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "sim." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiryByToken.put(token, nowMillis + lifetimeMillis);
        return token;
    }

    public long lifetimeSeconds() {
        return Math.max(1, lifetimeMillis / 1000);
    }

    public boolean isValid(String token, long nowMillis) {
        Long expiry = token == null ? null : expiryByToken.get(token);
        return expiry != null && nowMillis < expiry;
    }

    /** Lets a test force the bridge through a token refresh in the middle of a batch. */
    public void expireAll() {
        expiryByToken.replaceAll((token, expiry) -> Long.MIN_VALUE);
    }

    public void sweep(long nowMillis) {
        expiryByToken.values().removeIf(expiry -> expiry <= nowMillis);
    }

    public int size() {
        return expiryByToken.size();
    }
}
