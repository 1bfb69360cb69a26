/* libFuzzer: the member-list CSV import — encoding, parsing and classification against
 * a small register, on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alvd/rules/csv_import.h"
#include "alvd/rules/member_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rules_csv csv;
    alvd_err err;
    alvd_err_clear(&err);
    if (rules_csv_parse((const char *)data, size, &csv, &err) != 0)
        return 0;
    rules_member_existing existing[1];
    memset(existing, 0, sizeof existing);
    existing[0] = (rules_member_existing){.id = 1, .kvk = "12345678", .name = "Klantcontact BV",
                                          .email = "info@kc.example", .member_number = "M-1",
                                          .has_membership = 1, .membership_since = 19723};
    rules_member_import import;
    if (rules_member_import_classify(&csv, existing, 1, 20000, &import, &err) == 0)
        rules_member_import_free(&import);
    rules_csv_free(&csv);
    return 0;
}
