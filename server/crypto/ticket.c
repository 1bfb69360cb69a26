/* Ticket codes: Ed25519 over {version, meeting, ticket id, nonce}, base64url of
 * payload‖signature. Verifying checks the signature before anything is looked up. */
#include "alvd/crypto/ticket.h"

#include <string.h>

#include "alvd/crypto/keyfile.h"
#include "alvd/crypto/token.h"

void ticket_keys_from_seed(const unsigned char seed[crypto_sign_SEEDBYTES], ticket_keys *keys)
{
    crypto_sign_seed_keypair(keys->public_key, keys->secret_key, seed);
}

void ticket_keys_wipe(ticket_keys *keys)
{
    sodium_memzero(keys, sizeof *keys);
}

int ticket_keys_load(const char *data_dir, ticket_keys *keys, alvd_err *err)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (keyfile_load_or_create(data_dir, TICKET_KEY_FILE, seed, sizeof seed, NULL, NULL, err) != 0)
        return -1;
    ticket_keys_from_seed(seed, keys);
    sodium_memzero(seed, sizeof seed);
    return 0;
}

static void ticket_put_u64(unsigned char *out, unsigned long long value)
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (unsigned char)(value & 0xff);
        value >>= 8;
    }
}

static unsigned long long ticket_get_u64(const unsigned char *in)
{
    unsigned long long value = 0;
    for (int i = 0; i < 8; i++)
        value = (value << 8) | in[i];
    return value;
}

int ticket_sign(const ticket_keys *keys, const ticket_payload *payload,
                char text[TICKET_TEXT_SIZE], alvd_err *err)
{
    unsigned char signed_bytes[TICKET_SIGNED_BYTES];
    if (payload->meeting_id <= 0 || payload->ticket_id <= 0)
        return alvd_err_set(err, 500, "bad_ticket", NULL, "Ticket needs a meeting and a ticket id.");
    signed_bytes[0] = TICKET_FORMAT_VERSION;
    ticket_put_u64(signed_bytes + 1, (unsigned long long)payload->meeting_id);
    ticket_put_u64(signed_bytes + 9, (unsigned long long)payload->ticket_id);
    memcpy(signed_bytes + 17, payload->nonce, TICKET_NONCE_BYTES);
    crypto_sign_detached(signed_bytes + TICKET_PAYLOAD_BYTES, NULL, signed_bytes,
                         TICKET_PAYLOAD_BYTES, keys->secret_key);
    token_base64url(signed_bytes, sizeof signed_bytes, text, TICKET_TEXT_SIZE);
    return 0;
}

int ticket_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], const char *text,
                  ticket_payload *out, alvd_err *err)
{
    unsigned char signed_bytes[TICKET_SIGNED_BYTES + 4];
    /* A code is never longer than its fixed size; checking first keeps odd input cheap. */
    if (text == NULL || strlen(text) != TICKET_TEXT_SIZE - 2)
        goto forged;
    long length = token_base64url_decode(text, signed_bytes, sizeof signed_bytes);
    if (length != TICKET_SIGNED_BYTES || signed_bytes[0] != TICKET_FORMAT_VERSION)
        goto forged;
    if (crypto_sign_verify_detached(signed_bytes + TICKET_PAYLOAD_BYTES, signed_bytes,
                                    TICKET_PAYLOAD_BYTES, public_key) != 0)
        goto forged;
    unsigned long long meeting = ticket_get_u64(signed_bytes + 1);
    unsigned long long ticket = ticket_get_u64(signed_bytes + 9);
    if (meeting == 0 || ticket == 0 || meeting > (unsigned long long)INT64_MAX ||
        ticket > (unsigned long long)INT64_MAX)
        goto forged;
    out->version = signed_bytes[0];
    out->meeting_id = (long long)meeting;
    out->ticket_id = (long long)ticket;
    memcpy(out->nonce, signed_bytes + 17, TICKET_NONCE_BYTES);
    return 0;
forged:
    return alvd_err_set(err, 400, "forged", "ticket",
                        "Deze code is geen geldig toegangsbewijs van KSF (vervalst of beschadigd).");
}

void ticket_code_hash(const char *text, unsigned char out[TICKET_HASH_BYTES])
{
    crypto_generichash(out, TICKET_HASH_BYTES, (const unsigned char *)text, strlen(text), NULL, 0);
}
