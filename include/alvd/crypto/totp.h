/* Second factor for staff: TOTP (RFC 6238 over RFC 4226: HMAC-SHA-1, 6 digits, 30 s
 * steps, what authenticator apps expect), base32 secrets, otpauth URIs, recovery codes. */
#ifndef ALVD_CRYPTO_TOTP_H
#define ALVD_CRYPTO_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20          /* 160 bits, the size RFC 4226 recommends */
#define TOTP_SECRET_TEXT_SIZE 33      /* base32 of 20 bytes: 32 characters + NUL */
#define TOTP_PERIOD_SECONDS 30
#define TOTP_DIGITS 6
/* Steps accepted on either side of the current one: a code from the previous 30 s
 * (typed just as it changed, or a phone clock a little behind) and the next (a phone
 * clock a little ahead). Each step is usable once per user (see totp_verify). */
#define TOTP_WINDOW_STEPS 1

#define TOTP_RECOVERY_CODES 10
#define TOTP_RECOVERY_TEXT_SIZE 15    /* "abcd-efgh-jkmn" + NUL: 12 symbols of 32, 60 bits */

/* SHA-1 (FIPS 180-4) and HMAC-SHA-1 (RFC 2104): TOTP needs them and libsodium has no
 * SHA-1. Exposed for the unit test's published vectors. */
void totp_sha1(const unsigned char *data, size_t length, unsigned char digest[20]);
void totp_hmac_sha1(const unsigned char *key, size_t key_length, const unsigned char *message,
                    size_t message_length, unsigned char mac[20]);

/* The HOTP value (RFC 4226) of counter with digits digits (6 or 8). */
uint32_t totp_hotp(const unsigned char *secret, size_t secret_length, uint64_t counter, int digits);
/* The time step of a Unix time: floor(unix_time / 30). */
int64_t totp_step_of(int64_t unix_time);

/* Base32 (RFC 4648, upper case, no padding) of bytes; out needs 8/5 × length + 1. */
void totp_base32_encode(const unsigned char *bytes, size_t length, char *out, size_t out_size);
/* Decode base32 (either case; spaces and '=' ignored); -1 on a bad character or when
 * more than out_size bytes would result. *length gets the byte count. */
int totp_base32_decode(const char *text, unsigned char *out, size_t out_size, size_t *length);

/* Check a code typed by a user against secret at unix_time. Accepts the steps
 * now-TOTP_WINDOW_STEPS … now+TOTP_WINDOW_STEPS whose value matches and which are later
 * than last_step (the last step this user logged in with; -1 for none), so a code is
 * usable once and an older one after a newer never. */
typedef enum totp_result { TOTP_OK = 0, TOTP_WRONG, TOTP_REPLAYED, TOTP_MALFORMED } totp_result;
totp_result totp_verify(const unsigned char *secret, size_t secret_length, const char *code,
                        int64_t unix_time, int64_t last_step, int64_t *matched_step);

/* otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
 * (the Key Uri Format of authenticator apps), percent-encoded; malloc'd. */
char *totp_uri(const char *issuer, const char *account, const char *secret_base32);

/* A new recovery code "abcd-efgh-jkmn" from an alphabet without look-alikes. */
void totp_recovery_new(char out[TOTP_RECOVERY_TEXT_SIZE]);
/* What a user typed → the canonical form (lower case, dashes placed); -1 when it is not
 * 12 symbols of the alphabet. Spaces and dashes anywhere are ignored. */
int totp_recovery_normalise(const char *text, char out[TOTP_RECOVERY_TEXT_SIZE]);

#endif
