/* libFuzzer: ticket decoding — a scanned QR's text must be refused or verified,
 * never crash; a verified one must come from the test key. */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ticket_keys keys;
    static int ready;
    if (!ready) {
        unsigned char seed[crypto_sign_SEEDBYTES] = {7};
        if (sodium_init() < 0)
            abort();
        ticket_keys_from_seed(seed, &keys);
        ready = 1;
    }
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    ticket_payload payload;
    alvd_err err;
    alvd_err_clear(&err);
    if (ticket_verify(keys.public_key, text, &payload, &err) == 0) {
        /* Only codes this key signed verify: signing the payload again gives the text. */
        char again[TICKET_TEXT_SIZE];
        if (ticket_sign(&keys, &payload, again, &err) != 0 || strcmp(again, text) != 0)
            abort();
    }
    unsigned char hash[TICKET_HASH_BYTES];
    ticket_code_hash(text, hash);
    free(text);
    return 0;
}
