/* libFuzzer: civil date and half-year parsing, and the date arithmetic that follows. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/meldpunt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    alvd_err err;
    rules_day day;
    alvd_err_clear(&err);
    if (rules_date_parse(text, "date", &day, &err) == 0) {
        char back[RULES_DATE_TEXT_SIZE];
        rules_date_format(day, back);
        if (strcmp(back, text) != 0)
            abort(); /* a parsed date must format back to the same text */
        rules_withdrawal_deadline day_deadline;
        rules_withdrawal_deadline_for(day, 3, &day_deadline);
        (void)rules_day_add_months(day, 3);
    }
    rules_half_year period;
    (void)rules_half_year_parse(text, &period, &err);
    free(text);
    return 0;
}
