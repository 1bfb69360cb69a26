/* The meldpunt's half-year publication in MariaDB: the counts it is made of, the frozen
 * table, guidance text and amendment suggestions (meldpunt_half_years, _suggestions). */
#ifndef ALVD_STORE_MELDPUNT_HALF_YEARS_H
#define ALVD_STORE_MELDPUNT_HALF_YEARS_H

#include <stddef.h>

#include "alvd/store/db.h"

/* Reports received from .. to (YYYY-MM-DD, inclusive). */
int store_meldpunt_half_years_reports(store_conn *conn, const char *from, const char *to, long long *count,
                                      alvd_err *err);
/* Norm rows of those reports grouped by norm and judgement (short norms first). */
typedef struct store_meldpunt_norm_count {
    char norm[17];
    char judgement[24];  /* "" when none */
    long long count;
} store_meldpunt_norm_count;
typedef struct store_meldpunt_norm_counts {
    store_meldpunt_norm_count *items;
    size_t count;
} store_meldpunt_norm_counts;
int store_meldpunt_half_years_norm_counts(store_conn *conn, const char *from, const char *to,
                                          store_meldpunt_norm_counts *counts, alvd_err *err);
void store_meldpunt_norm_counts_free(store_meldpunt_norm_counts *counts);

/* Lock a published period's row; *unfrozen = 1 when it has no frozen table yet. */
int store_meldpunt_half_years_lock_published(store_conn *conn, const char *period, int *unfrozen, alvd_err *err);
int store_meldpunt_half_years_set_table(store_conn *conn, const char *period, const char *table_json,
                                        alvd_err *err);
/* A published period: guidance (NULL when none), published_at and its frozen table
 * (NULL before it was frozen). *found = 0 when the period is not published. */
typedef struct store_meldpunt_half_year {
    int found;
    char *guidance, *published_at, *table_json;
} store_meldpunt_half_year;
int store_meldpunt_half_years_published(store_conn *conn, const char *period, store_meldpunt_half_year *half_year,
                                        alvd_err *err);
void store_meldpunt_half_year_free(store_meldpunt_half_year *half_year);
/* Lock a period's row (any state); *published = 1 when it was published. */
int store_meldpunt_half_years_lock(store_conn *conn, const char *period, int *published, alvd_err *err);
int store_meldpunt_half_years_save_guidance(store_conn *conn, const char *period, const char *guidance,
                                            alvd_err *err);
/* Drop the suggestions no proposal was made from. */
int store_meldpunt_half_years_clear_suggestions(store_conn *conn, const char *period, alvd_err *err);
int store_meldpunt_half_years_add_suggestion(store_conn *conn, const char *period, const char *article,
                                             const char *text, alvd_err *err);
/* Publish a period (a second publication keeps the first time and officer); user_id 0 =
 * published by no officer (the demo). */
int store_meldpunt_half_years_publish(store_conn *conn, const char *period, long long user_id, alvd_err *err);
/* Suggestions of a period (id, article, text, proposal_id) by id, to render as they are. */
int store_meldpunt_half_years_suggestions(store_conn *conn, const char *period, store_result **rows, alvd_err *err);
/* The same with period and whether it is published (the suggestions route). */
int store_meldpunt_half_years_suggestion_list(store_conn *conn, const char *period, store_result **rows,
                                              alvd_err *err);

#endif
