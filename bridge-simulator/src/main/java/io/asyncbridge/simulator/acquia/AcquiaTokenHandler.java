package io.asyncbridge.simulator.acquia;

import io.asyncbridge.simulator.stats.SimulatorStats;
import io.asyncbridge.simulator.http.Replies;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/auth/oauth/token}: OAuth2 client credentials grant, credentials in the form or in HTTP Basic
 * (RFC 6749 section 2.3.1).
 */
public final class AcquiaTokenHandler {

    private final String clientId;
    private final String clientSecret;
    private final AcquiaTokenStore tokens;
    private final SimulatorStats stats;
    private final Replies replies;

    public AcquiaTokenHandler(String clientId, String clientSecret, AcquiaTokenStore tokens, SimulatorStats stats,
                              Replies replies) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokens = tokens;
        this.stats = stats;
        this.replies = replies;
    }

    public void handle(RoutingContext ctx) {
        String grantType = ctx.request().getFormAttribute("grant_type");
        if (!"client_credentials".equals(grantType)) {
            stats.recordTokenRejected();
            replies.json(ctx, 400, oauthError("unsupported_grant_type",
                    "Only grant_type=client_credentials (form-urlencoded) is supported, got " + grantType));
            return;
        }
        String[] credentials = basicCredentials(ctx.request().getHeader("Authorization"));
        if (credentials == null) {
            credentials = new String[] {
                    ctx.request().getFormAttribute("client_id"), ctx.request().getFormAttribute("client_secret")};
        }
        if (!clientId.equals(credentials[0]) || !clientSecret.equals(credentials[1])) {
            stats.recordTokenRejected();
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"acquia\"");
            replies.json(ctx, 401, oauthError("invalid_client", "The client credentials are invalid"));
            return;
        }
        String token = tokens.issue(System.currentTimeMillis());
        stats.recordTokenIssued();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("token_type", "bearer");
        body.put("expires_in", tokens.lifetimeSeconds());
        ctx.response().putHeader("Cache-Control", "no-store");
        replies.json(ctx, 200, body);
    }

    private static Map<String, Object> oauthError(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    /** {@code [id, secret]} from an HTTP Basic header, or {@code null} when there is none. */
    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return new String[] {null, null};
            }
            return new String[] {
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            // Undecodable Basic credentials are simply wrong credentials: the caller answers 401.
            return new String[] {null, null};
        }
    }
}
