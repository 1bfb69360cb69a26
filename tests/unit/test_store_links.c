/* store/links.h against a real, migrated database: a link is spent once and not after
 * it expired, names whom it is for (a contact with the organisation, or a staff user),
 * and the recipients of one address are its current contacts and enabled staff users. */
#include <string.h>

#include "alvd/store/links.h"
#include "check.h"
#include "store_fixture.h"

static void test_spend(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char contact_link[TOKEN_HASH_BYTES], staff_link[TOKEN_HASH_BYTES], old_link[TOKEN_HASH_BYTES];
    memset(contact_link, 1, sizeof contact_link);
    memset(staff_link, 2, sizeof staff_link);
    memset(old_link, 3, sizeof old_link);
    store_links_owner owner;
    int spent = 0, found = 0;
    CHECK(store_links_insert(conn, contact_link, 5, 0, "login", 600, &err) == 0, "a contact's link: %s", err.message);
    CHECK(store_links_insert(conn, staff_link, 0, 1, "login", 600, &err) == 0, "a staff user's link");
    CHECK(store_links_insert(conn, old_link, 5, 0, "invite", -1, &err) == 0, "an expired link");
    CHECK(store_links_insert(conn, contact_link, 5, 0, "login", 600, &err) != 0 && err.status == 409,
          "the same token twice is a duplicate");
    alvd_err_clear(&err);
    CHECK(store_links_spend(conn, contact_link, &spent, &err) == 0 && spent, "spent");
    CHECK(store_links_spend(conn, contact_link, &spent, &err) == 0 && !spent, "only once");
    CHECK(store_links_spend(conn, old_link, &spent, &err) == 0 && !spent, "not after it expired");
    CHECK(store_links_owner_read(conn, contact_link, &owner, &found, &err) == 0 && found, "its owner");
    CHECK(owner.contact_id == 5 && owner.organisation_id == 7 && owner.user_id == 0, "a contact of organisation 7");
    CHECK(strcmp(owner.name, "Lies") == 0 && strcmp(owner.email, "lies@bel.example") == 0 &&
              strcmp(owner.organisation_name, "Bel & Co BV") == 0,
          "with name, e-mail and organisation");
    CHECK(store_links_owner_read(conn, staff_link, &owner, &found, &err) == 0 && found && owner.user_id == 1 &&
              owner.contact_id == 0,
          "a staff user's link names the user");
    unsigned char unknown[TOKEN_HASH_BYTES];
    memset(unknown, 9, sizeof unknown);
    CHECK(store_links_owner_read(conn, unknown, &owner, &found, &err) == 0 && !found, "an unknown link has no owner");
}

static void test_people(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_links_owner contact;
    store_links_recipient recipients[STORE_LINKS_RECIPIENTS_MAX];
    size_t count = 0;
    int found = 0;
    CHECK(store_links_contact_read(conn, 5, &contact, &found, &err) == 0 && found &&
              strcmp(contact.organisation_name, "Bel & Co BV") == 0,
          "a current contact with the organisation");
    CHECK(store_links_contact_read(conn, 6, &contact, &found, &err) == 0 && !found, "a removed contact is not found");
    CHECK(store_links_recipients_by_email(conn, "anna@ksf.example", recipients, &count, &err) == 0, "recipients");
    CHECK_INT(count, 2, "Anna is a staff user and a contact");
    int staff = 0, contacts = 0;
    for (size_t i = 0; i < count; i++) {
        staff += recipients[i].staff && recipients[i].id == 1;
        contacts += !recipients[i].staff && recipients[i].id == 8;
    }
    CHECK(staff == 1 && contacts == 1, "one of each, with their ids");
    CHECK(store_links_recipients_by_email(conn, "old@bel.example", recipients, &count, &err) == 0 && count == 0,
          "a removed contact gets no link");
    CHECK(store_fixture_script(fixture, "UPDATE users SET disabled_at = UTC_TIMESTAMP(6) WHERE id = 1") == 0, "disable");
    CHECK(store_links_recipients_by_email(conn, "anna@ksf.example", recipients, &count, &err) == 0 && count == 1 &&
              !recipients[0].staff,
          "a disabled staff user gets no link");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "links") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture,
                               "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
                               " (1, 'anna@ksf.example', 'Anna', 'x', 'admin', UTC_TIMESTAMP(6));"
                               "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
                               " (7, 'Bel & Co BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
                               "INSERT INTO contacts (id, organisation_id, name, email, created_at, removed_at) VALUES"
                               " (5, 7, 'Lies', 'lies@bel.example', UTC_TIMESTAMP(6), NULL),"
                               " (6, 7, 'Oud', 'old@bel.example', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
                               " (8, 7, 'Anna', 'anna@ksf.example', UTC_TIMESTAMP(6), NULL)") == 0,
          "set-up rows");
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_spend(conn);
        test_people(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_links");
}
