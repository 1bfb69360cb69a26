/* Login throttling by (account, client) pair with growing delays, signed device
 * cookies that make a known browser its own client, and an account lock that only
 * unknown browsers meet (the owner gets in by e-mailed link or from a known browser). */
#include "alvd/http/throttle.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/crypto/token.h"

#define THROTTLE_NONCE_BYTES 16
#define THROTTLE_MAC_BYTES 16

/* The device cookie's MAC key, derived from the rate-limit key all processes share. */
static void throttle_device_key(const alvd_app *app, unsigned char key[crypto_generichash_KEYBYTES])
{
    static const char context[] = "alvd device cookie v1";
    crypto_generichash(key, crypto_generichash_KEYBYTES, (const unsigned char *)context, sizeof context - 1,
                       app->rate_key, sizeof app->rate_key);
}

static void throttle_device_mac(const alvd_app *app, const unsigned char nonce[THROTTLE_NONCE_BYTES],
                                const char *email, unsigned char mac[THROTTLE_MAC_BYTES])
{
    unsigned char key[crypto_generichash_KEYBYTES];
    crypto_generichash_state state;
    throttle_device_key(app, key);
    crypto_generichash_init(&state, key, sizeof key, THROTTLE_MAC_BYTES);
    crypto_generichash_update(&state, nonce, THROTTLE_NONCE_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)email, strlen(email));
    crypto_generichash_final(&state, mac, THROTTLE_MAC_BYTES);
    sodium_memzero(key, sizeof key);
}

static const char *throttle_device_cookie_name(const alvd_app *app)
{
    return http_public_url_secure(app) ? "__Host-alvd_device" : "alvd_device";
}

/* The device cookie's nonce as hex when the cookie is valid for email; else "". */
static void throttle_known_device(http_request *request, const char *email, char nonce_hex[THROTTLE_NONCE_BYTES * 2 + 1])
{
    const char *cookie = http_request_cookie(request, throttle_device_cookie_name(http_request_app(request)));
    unsigned char bytes[THROTTLE_NONCE_BYTES + THROTTLE_MAC_BYTES + 4], mac[THROTTLE_MAC_BYTES];
    nonce_hex[0] = '\0';
    if (cookie == NULL || strlen(cookie) > 64 ||
        token_base64url_decode(cookie, bytes, sizeof bytes) != THROTTLE_NONCE_BYTES + THROTTLE_MAC_BYTES)
        return;
    throttle_device_mac(http_request_app(request), bytes, email, mac);
    if (sodium_memcmp(mac, bytes + THROTTLE_NONCE_BYTES, THROTTLE_MAC_BYTES) != 0)
        return;
    sodium_bin2hex(nonce_hex, THROTTLE_NONCE_BYTES * 2 + 1, bytes, THROTTLE_NONCE_BYTES);
}

void throttle_login_succeeded(http_request *request, const char *email)
{
    unsigned char bytes[THROTTLE_NONCE_BYTES + THROTTLE_MAC_BYTES];
    char value[64];
    randombytes_buf(bytes, THROTTLE_NONCE_BYTES);
    throttle_device_mac(http_request_app(request), bytes, email, bytes + THROTTLE_NONCE_BYTES);
    token_base64url(bytes, sizeof bytes, value, sizeof value);
    http_reply_cookie(request, throttle_device_cookie_name(http_request_app(request)), value,
                      THROTTLE_DEVICE_SECONDS);
}

/* Seconds to wait after failures failures of which free were free; 0 when none. */
static long long throttle_delay(long long failures, long long free)
{
    if (failures < free)
        return 0;
    long long delay = THROTTLE_FIRST_DELAY_SECONDS;
    for (long long extra = failures - free; extra > 0 && delay < THROTTLE_MAX_DELAY_SECONDS; extra--)
        delay *= 2;
    return delay < THROTTLE_MAX_DELAY_SECONDS ? delay : THROTTLE_MAX_DELAY_SECONDS;
}

/* -1 with the wait set when the bucket's failures still call for waiting. */
static int throttle_bucket_wait(http_request *request, const char *bucket, const char *subject, long long free,
                                throttle_login *attempt, alvd_err *err)
{
    long long failures = 0, since = 0;
    if (auth_rate_status(http_request_db(request), http_request_app(request)->rate_key, bucket, subject,
                         THROTTLE_WINDOW_SECONDS, &failures, &since, err) != 0)
        return -1;
    long long delay = throttle_delay(failures, free);
    if (delay == 0 || since >= delay)
        return 0;
    attempt->wait_seconds = delay - since;
    /* The wait itself goes in Retry-After; the login page says it in seconds or minutes. */
    return alvd_err_set(err, 429, "too_many_attempts", NULL,
                        "Te veel mislukte pogingen om in te loggen.");
}

int throttle_login_check(http_request *request, const char *email, throttle_login *attempt, alvd_err *err)
{
    char nonce[THROTTLE_NONCE_BYTES * 2 + 1];
    memset(attempt, 0, sizeof *attempt);
    snprintf(attempt->email, sizeof attempt->email, "%s", email);
    throttle_known_device(request, email, nonce);
    attempt->known_device = nonce[0] != '\0';
    if (attempt->known_device)
        snprintf(attempt->pair, sizeof attempt->pair, "%s\ndevice:%s", email, nonce);
    else
        snprintf(attempt->pair, sizeof attempt->pair, "%s\naddress:%s", email, http_request_client(request));
    if (throttle_bucket_wait(request, "login_pair", attempt->pair, THROTTLE_FREE_FAILURES, attempt, err) != 0)
        return -1;
    if (attempt->known_device)
        return 0;
    long long failures = 0, since = 0;
    if (auth_rate_status(http_request_db(request), http_request_app(request)->rate_key, "login_account", email,
                         THROTTLE_WINDOW_SECONDS, &failures, &since, err) != 0)
        return -1;
    if (failures >= THROTTLE_ACCOUNT_LOCK_FAILURES) {
        attempt->wait_seconds = THROTTLE_MAX_DELAY_SECONDS;
        return alvd_err_set(err, 429, "account_locked", NULL,
                            "Na veel mislukte pogingen kan dit account even niet met een wachtwoord inloggen op een "
                            "nieuw apparaat. Vraag een inloglink per e-mail aan.");
    }
    return throttle_bucket_wait(request, "login_client", http_request_client(request),
                                THROTTLE_CLIENT_FREE_FAILURES, attempt, err);
}

void throttle_reply_refusal(http_request *request, const throttle_login *attempt, const alvd_err *err)
{
    http_reply_err(request, err);
    if (err->status == 429) {
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%lld", attempt->wait_seconds > 0 ? attempt->wait_seconds : 1);
        http_reply_header(request, "Retry-After", seconds);
    }
}

int throttle_login_failed(http_request *request, const throttle_login *attempt, alvd_err *err)
{
    store_conn *conn = http_request_db(request);
    const unsigned char *key = http_request_app(request)->rate_key;
    if (auth_rate_record(conn, key, "login_pair", attempt->pair, err) != 0)
        return -1;
    if (attempt->known_device)
        return 0;
    if (auth_rate_record(conn, key, "login_account", attempt->email, err) != 0 ||
        auth_rate_record(conn, key, "login_client", http_request_client(request), err) != 0)
        return -1;
    return 0;
}
