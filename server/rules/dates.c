/* Civil-date arithmetic on whole days and the Europe/Amsterdam clock.
 * Integer only: the day <-> date conversion is Howard Hinnant's era algorithm. */
#include "alvd/rules/dates.h"

#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400

/* Floor division: C's '/' truncates toward zero, which is wrong for days before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

int rules_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int rules_days_in_month(int year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && rules_is_leap_year(year))
        return 29;
    return lengths[month - 1];
}

int rules_date_is_valid(int year, int month, int mday)
{
    if (year < RULES_YEAR_MIN || year > RULES_YEAR_MAX)
        return 0;
    if (month < 1 || month > 12)
        return 0;
    return mday >= 1 && mday <= rules_days_in_month(year, month);
}

rules_day rules_day_from_ymd(int year, int month, int mday)
{
    int64_t y = (int64_t)year - (month <= 2 ? 1 : 0);
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;
    int64_t m = month;
    int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + mday - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return (rules_day)(era * 146097 + day_of_era - 719468);
}

void rules_day_to_ymd(rules_day day, int *year, int *month, int *mday)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t day_of_era = z - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t y = year_of_era + era * 400;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * day_of_year + 2) / 153;
    int64_t d = day_of_year - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        y++;
    if (year)
        *year = (int)y;
    if (month)
        *month = (int)m;
    if (mday)
        *mday = (int)d;
}

static int parse_digits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return 0;
}

int rules_date_parse(const char *text, const char *field, rules_day *out, alvd_err *err)
{
    int year, month, mday;
    /* strnlen bounds the scan so a huge input is not walked; 11 is enough to see
     * "longer than 10". */
    size_t length = text ? strnlen(text, 11) : 0;
    if (length != 10 || text[4] != '-' || text[7] != '-' || parse_digits(text, 4, &year) < 0 ||
        parse_digits(text + 5, 2, &month) < 0 || parse_digits(text + 8, 2, &mday) < 0)
        /* The raw input is not echoed: it may be any bytes, and the message goes
         * into JSON and HTML. */
        return alvd_err_set(err, 400, "bad_date", field,
                            "Ongeldige datum; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld "
                            "2026-06-16.");
    if (!rules_date_is_valid(year, month, mday))
        return alvd_err_set(err, 400, "bad_date", field,
                            "De datum %.10s bestaat niet in de kalender.", text);
    *out = rules_day_from_ymd(year, month, mday);
    return 0;
}

char *rules_date_format(rules_day day, char out[RULES_DATE_TEXT_SIZE])
{
    int year, month, mday;
    rules_day_to_ymd(day, &year, &month, &mday);
    if (year < 0 || year > 9999) {
        /* Outside the contract; keep the buffer a fixed-width, obviously wrong text. */
        memcpy(out, "0000-00-00", RULES_DATE_TEXT_SIZE);
        return out;
    }
    /* Each field is range-checked above, so the 10 characters always fit. */
    out[0] = (char)('0' + year / 1000);
    out[1] = (char)('0' + year / 100 % 10);
    out[2] = (char)('0' + year / 10 % 10);
    out[3] = (char)('0' + year % 10);
    out[4] = '-';
    out[5] = (char)('0' + month / 10);
    out[6] = (char)('0' + month % 10);
    out[7] = '-';
    out[8] = (char)('0' + mday / 10);
    out[9] = (char)('0' + mday % 10);
    out[10] = '\0';
    return out;
}

int rules_iso_weekday(rules_day day)
{
    /* Day 0 was a Thursday (ISO 4). */
    return (int)floor_mod((int64_t)day + 3, 7) + 1;
}

int rules_is_weekend(rules_day day)
{
    return rules_iso_weekday(day) >= 6;
}

rules_day rules_day_add_days(rules_day day, int32_t days)
{
    return (rules_day)((int64_t)day + days);
}

rules_day rules_day_add_months(rules_day day, int32_t months)
{
    int year, month, mday;
    rules_day_to_ymd(day, &year, &month, &mday);
    int64_t index = (int64_t)year * 12 + (month - 1) + months;
    int new_year = (int)floor_div(index, 12);
    int new_month = (int)floor_mod(index, 12) + 1;
    int length = rules_days_in_month(new_year, new_month);
    return rules_day_from_ymd(new_year, new_month, mday > length ? length : mday);
}

int32_t rules_days_between(rules_day from, rules_day to)
{
    return (int32_t)((int64_t)to - from);
}

rules_day rules_last_weekday_of_month(int year, int month, int iso_weekday)
{
    rules_day last = rules_day_from_ymd(year, month, rules_days_in_month(year, month));
    int back = (int)floor_mod(rules_iso_weekday(last) - iso_weekday, 7);
    return last - back;
}

/* CEST runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October. The UTC year is the right year to look at: the switches are
 * in spring and autumn, far from the new year. */
int rules_amsterdam_offset(int64_t unix_seconds)
{
    int year;
    rules_day_to_ymd((rules_day)floor_div(unix_seconds, SECONDS_PER_DAY), &year, NULL, NULL);
    int64_t start = (int64_t)rules_last_weekday_of_month(year, 3, 7) * SECONDS_PER_DAY + 3600;
    int64_t end = (int64_t)rules_last_weekday_of_month(year, 10, 7) * SECONDS_PER_DAY + 3600;
    return (unix_seconds >= start && unix_seconds < end) ? 7200 : 3600;
}

void rules_amsterdam_local(int64_t unix_seconds, rules_local_time *out)
{
    int offset = rules_amsterdam_offset(unix_seconds);
    int64_t local = unix_seconds + offset;
    int64_t second_of_day = floor_mod(local, SECONDS_PER_DAY);
    out->day = (rules_day)floor_div(local, SECONDS_PER_DAY);
    out->hour = (int)(second_of_day / 3600);
    out->minute = (int)(second_of_day / 60 % 60);
    out->second = (int)(second_of_day % 60);
    out->offset_seconds = offset;
}

rules_day rules_amsterdam_day(int64_t unix_seconds)
{
    rules_local_time local;
    rules_amsterdam_local(unix_seconds, &local);
    return local.day;
}

int64_t rules_amsterdam_midnight(rules_day day)
{
    /* Midnight is never inside a switch hour (01:00 UTC = 02:00/03:00 local), so
     * the offset in force an hour before UTC-midnight-minus-offset is the right one. */
    int64_t guess = (int64_t)day * SECONDS_PER_DAY - 3600;
    return (int64_t)day * SECONDS_PER_DAY - rules_amsterdam_offset(guess);
}

static void put_two_digits(char *out, int value)
{
    out[0] = (char)('0' + value / 10 % 10);
    out[1] = (char)('0' + value % 10);
}

char *rules_amsterdam_rfc3339(int64_t unix_seconds, char out[RULES_RFC3339_SIZE])
{
    rules_local_time local;
    char date[RULES_DATE_TEXT_SIZE];
    rules_amsterdam_local(unix_seconds, &local);
    rules_date_format(local.day, date);
    /* Fixed layout: fill the digits directly, so no width can overflow the buffer. */
    memcpy(out, date, 10);
    memcpy(out + 10, "T00:00:00+00:00", 16);
    put_two_digits(out + 11, local.hour);
    put_two_digits(out + 14, local.minute);
    put_two_digits(out + 17, local.second);
    put_two_digits(out + 20, local.offset_seconds / 3600);
    return out;
}

static const char *const weekday_names[2][7] = {
    {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
};

static const char *const month_names[2][12] = {
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

const char *rules_weekday_name(int iso_weekday, rules_lang lang)
{
    if (iso_weekday < 1 || iso_weekday > 7)
        return "";
    return weekday_names[lang == RULES_LANG_EN ? 1 : 0][iso_weekday - 1];
}

const char *rules_month_name(int month, rules_lang lang)
{
    if (month < 1 || month > 12)
        return "";
    return month_names[lang == RULES_LANG_EN ? 1 : 0][month - 1];
}

char *rules_date_format_long(rules_day day, rules_lang lang, char *out, size_t size)
{
    int year, month, mday;
    rules_day_to_ymd(day, &year, &month, &mday);
    if (size > 0)
        snprintf(out, size, "%s %d %s %d", rules_weekday_name(rules_iso_weekday(day), lang),
                 mday, rules_month_name(month, lang), year);
    return out;
}
