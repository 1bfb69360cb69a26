/* Demo data for the register and the Code: the real Code voor Verantwoordelijk
 * Marktgedrag as version 1, and 40 organisations with mixed bases and contacts. */
#include "alvd/demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/service/code.h"
#include "alvd/store/bases.h"
#include "alvd/store/code_versions.h"
#include "alvd/store/contacts.h"
#include "alvd/store/db.h"
#include "alvd/store/organisations.h"

/* Version 1: the seed text leaves its first effective date open ("1 <maand> 2025");
 * the demo takes 1 July 2025, so that today every demo organisation can be bound. */
#define DEMO_CODE_LABEL "2025-1"
#define DEMO_CODE_EFFECTIVE "2025-07-01"
#define DEMO_CODE_FILE ALVD_SOURCE_DIR "/server/demo/code-v1.md"

typedef struct demo_basis {
    const char *kind, *since, *until, *contract_ref, *counterparty;
    int follows_amendments;
} demo_basis;

typedef struct demo_contact {
    const char *name, *email, *function;
} demo_contact;

typedef struct demo_organisation {
    const char *name, *kvk, *address, *member_number;
    int public_consent;
    const char *email;
    demo_basis bases[3];
    demo_contact contacts[2];
} demo_organisation;

static const demo_organisation demo_organisations[] = {
    {"Klantcontact Noord B.V.", "22345678", "Stationsplein 3, Groningen", "KSF-0001", 1, "info@klantcontact-noord.example",
     {{"membership", "2019-03-01", NULL, NULL, NULL, 0}},
     {{"Jeroen de Vries", "j.devries@klantcontact-noord.example", "Directeur"}, {"Anouk Bakker", "a.bakker@klantcontact-noord.example", "Kwaliteitsmanager"}}},
    {"Servicepunt Utrecht B.V.", "66781468", "Kerkstraat 10, Utrecht", "KSF-0002", 1, "info@servicepunt-utrecht.example",
     {{"membership", "2018-01-01", NULL, NULL, NULL, 0}, {"signature", "2025-07-01", NULL, NULL, NULL, 0}},
     {{"Sanne Jansen", "s.jansen@servicepunt-utrecht.example", "Algemeen directeur"}}},
    {"Belcentrale Twente B.V.", "21217259", "Marktplein 17, Enschede", "KSF-0003", 0, "info@belcentrale-twente.example",
     {{"membership", "2020-06-15", NULL, NULL, NULL, 0}},
     {{"Henk Mulder", "h.mulder@belcentrale-twente.example", "Operationeel manager"}, {"Fleur Smit", "f.smit@belcentrale-twente.example", "HR-adviseur"}}},
    {"Dialoog Groep Nederland B.V.", "65653049", "Industrieweg 24, Amersfoort", "KSF-0004", 1, "info@dialoog-groep-nederland.example",
     {{"membership", "2017-09-01", NULL, NULL, NULL, 0}},
     {{"Pieter van Dijk", "p.vandijk@dialoog-groep-nederland.example", "CEO"}}},
    {"ContactCare Rotterdam B.V.", "20088840", "Havenkade 31, Rotterdam", "KSF-0005", 1, "info@contactcare-rotterdam.example",
     {{"membership", "2021-02-01", NULL, NULL, NULL, 0}},
     {{"Noor El Amrani", "n.elamrani@contactcare-rotterdam.example", "Directeur"}, {"Bas Visser", "b.visser@contactcare-rotterdam.example", "Accountmanager"}}},
    {"Helpdesk Haaglanden B.V.", "64524630", "Parkweg 38, Den Haag", "KSF-0006", 0, "info@helpdesk-haaglanden.example",
     {{"membership", "2016-05-01", "2025-12-31", NULL, NULL, 0}},
     {{"Marieke Vos", "m.vos@helpdesk-haaglanden.example", "Office manager"}}},
    {"KlantStem Amsterdam B.V.", "18960421", "Laan van Vollenhove 45, Amsterdam", "KSF-0007", 1, "info@klantstem-amsterdam.example",
     {{"membership", "2022-01-01", NULL, NULL, NULL, 0}},
     {{"Daan Hendriks", "d.hendriks@klantstem-amsterdam.example", "Managing director"}}},
    {"Servicehuis Brabant B.V.", "63396211", "Europaweg 52, Eindhoven", "KSF-0008", 1, "info@servicehuis-brabant.example",
     {{"membership", "2019-11-01", NULL, NULL, NULL, 0}, {"signature", "2025-09-15", NULL, NULL, NULL, 0}},
     {{"Lotte van den Berg", "l.vandenberg@servicehuis-brabant.example", "Directeur"}, {"Ruben Dekker", "r.dekker@servicehuis-brabant.example", "Compliance officer"}}},
    {"Contactlijn Zeeland B.V.", "17832002", "Stationsplein 59, Middelburg", "KSF-0009", 0, "info@contactlijn-zeeland.example",
     {{"membership", "2023-04-01", NULL, NULL, NULL, 0}},
     {{"Kees Verhoeven", "k.verhoeven@contactlijn-zeeland.example", "Eigenaar"}}},
    {"Telefonie Totaal Limburg B.V.", "62267792", "Kerkstraat 66, Maastricht", "KSF-0010", 1, "info@telefonie-totaal-limburg.example",
     {{"membership", "2018-08-01", NULL, NULL, NULL, 0}},
     {{"Eva Peeters", "e.peeters@telefonie-totaal-limburg.example", "Directeur"}}},
    {"Klantenservice Friesland B.V.", "16703583", "Marktplein 73, Leeuwarden", "KSF-0011", 1, "info@klantenservice-friesland.example",
     {{"membership", "2020-01-01", NULL, NULL, NULL, 0}},
     {{"Sjoerd Hoekstra", "s.hoekstra@klantenservice-friesland.example", "Directeur"}, {"Tjitske de Boer", "t.deboer@klantenservice-friesland.example", "Teamleider"}}},
    {"Callcenter Gelderse Vallei B.V.", "61139373", "Industrieweg 80, Ede", "KSF-0012", 0, "info@callcenter-gelderse-vallei.example",
     {{"membership", "2015-03-01", "2026-03-31", NULL, NULL, 0}},
     {{"Willem Brouwer", "w.brouwer@callcenter-gelderse-vallei.example", "Directeur"}}},
    {"Antwoordpunt Flevoland B.V.", "15575164", "Havenkade 87, Almere", "KSF-0013", 1, "info@antwoordpunt-flevoland.example",
     {{"membership", "2024-01-01", NULL, NULL, NULL, 0}},
     {{"Yasmina Haddou", "y.haddou@antwoordpunt-flevoland.example", "Directeur"}}},
    {"Zorglijn Contactcenter B.V.", "60010954", "Parkweg 94, Zwolle", "KSF-0014", 1, "info@zorglijn-contactcenter.example",
     {{"membership", "2019-06-01", NULL, NULL, NULL, 0}, {"contract", "2025-03-01", NULL, "ZL-2025-014", "Zorgverzekeraar Midden U.A.", 1}},
     {{"Gerrit Kok", "g.kok@zorglijn-contactcenter.example", "Directeur"}, {"Ilse Meijer", "i.meijer@zorglijn-contactcenter.example", "Contractmanager"}}},
    {"Energiedirect Klantcontact B.V.", "14446745", "Laan van Vollenhove 101, Arnhem", "KSF-0015", 0, "info@energiedirect-klantcontact.example",
     {{"membership", "2021-09-01", NULL, NULL, NULL, 0}},
     {{"Thomas Jacobs", "t.jacobs@energiedirect-klantcontact.example", "Manager klantcontact"}}},
    {"Servicegemak Holland B.V.", "58882535", "Europaweg 108, Haarlem", "KSF-0016", 1, "info@servicegemak-holland.example",
     {{"membership", "2017-01-01", NULL, NULL, NULL, 0}},
     {{"Femke Willems", "f.willems@servicegemak-holland.example", "Directeur"}}},
    {"Bereikbaar B.V.", "13318326", "Stationsplein 115, Leiden", "KSF-0017", 1, "info@bereikbaar.example",
     {{"membership", "2022-06-01", NULL, NULL, NULL, 0}, {"signature", "2025-07-01", NULL, NULL, NULL, 0}},
     {{"Joost de Graaf", "j.degraaf@bereikbaar.example", "Directeur"}}},
    {"Dutch Contact Partners B.V.", "57754116", "Kerkstraat 122, Breda", "KSF-0018", 0, "info@dutch-contact-partners.example",
     {{"membership", "2020-03-01", "2025-06-30", NULL, NULL, 0}},
     {{"Mark Schouten", "m.schouten@dutch-contact-partners.example", "CEO"}}},
    {"Klantdialoog Drenthe B.V.", "12189907", "Marktplein 9, Assen", "KSF-0019", 1, "info@klantdialoog-drenthe.example",
     {{"membership", "2023-01-01", NULL, NULL, NULL, 0}},
     {{"Ingrid Postma", "i.postma@klantdialoog-drenthe.example", "Directeur"}}},
    {"Multichannel Service Nederland B.V.", "56625697", "Industrieweg 16, Nieuwegein", "KSF-0020", 1, "info@multichannel-service-nederland.example",
     {{"membership", "2016-10-01", NULL, NULL, NULL, 0}},
     {{"Rik Bos", "r.bos@multichannel-service-nederland.example", "Directeur"}, {"Saskia Koster", "s.koster@multichannel-service-nederland.example", "Kwaliteit en opleiding"}}},
    {"Publieke Dienstverlening Contact B.V.", "11061488", "Havenkade 23, Apeldoorn", NULL, 1, "info@publieke-dienstverlening-contact.example",
     {{"signature", "2025-07-01", NULL, NULL, NULL, 0}},
     {{"Hanneke Vermeulen", "h.vermeulen@publieke-dienstverlening-contact.example", "Directeur"}}},
    {"Stichting Klantenservice Wonen", "55497278", "Parkweg 30, Tilburg", NULL, 1, "info@klantenservice-wonen.example",
     {{"signature", "2025-08-20", NULL, NULL, NULL, 0}},
     {{"Ahmed Bouzid", "a.bouzid@klantenservice-wonen.example", "Bestuurder"}}},
    {"Verzekeraars Servicecentrum B.V.", "99933068", "Laan van Vollenhove 37, Zeist", NULL, 0, "info@verzekeraars-servicecentrum.example",
     {{"signature", "2025-10-01", NULL, NULL, NULL, 0}},
     {{"Carola Timmermans", "c.timmermans@verzekeraars-servicecentrum.example", "Directeur klantcontact"}}},
    {"Telecom Klantzorg B.V.", "54368859", "Europaweg 44, Hilversum", NULL, 1, "info@telecom-klantzorg.example",
     {{"signature", "2025-07-14", NULL, NULL, NULL, 0}},
     {{"Niels van Leeuwen", "n.vanleeuwen@telecom-klantzorg.example", "Head of customer care"}}},
    {"Webshop Service Desk B.V.", "98804649", "Stationsplein 51, Den Bosch", NULL, 0, "info@webshop-service-desk.example",
     {{"signature", "2025-11-03", NULL, NULL, NULL, 0}},
     {{"Marloes Claassen", "m.claassen@webshop-service-desk.example", "Operations manager"}}},
    {"Openbaar Vervoer Klantcontact B.V.", "53240440", "Kerkstraat 58, Utrecht", NULL, 1, "info@openbaar-vervoer-klantcontact.example",
     {{"signature", "2025-07-01", "2026-06-30", NULL, NULL, 0}},
     {{"Frank de Wit", "f.dewit@openbaar-vervoer-klantcontact.example", "Manager klantenservice"}}},
    {"Netbeheer Contactcentrum B.V.", "97676230", "Marktplein 65, Arnhem", NULL, 1, "info@netbeheer-contactcentrum.example",
     {{"signature", "2025-09-01", NULL, NULL, NULL, 0}},
     {{"Esther Dijkstra", "e.dijkstra@netbeheer-contactcentrum.example", "Directeur"}}},
    {"Gemeentelijke Contactdiensten B.V.", "52112021", "Industrieweg 72, Amersfoort", NULL, 0, "info@gemeentelijke-contactdiensten.example",
     {{"signature", "2026-01-15", NULL, NULL, NULL, 0}},
     {{"Bram Kuipers", "b.kuipers@gemeentelijke-contactdiensten.example", "Directeur"}}},
    {"Reisbranche Servicecenter B.V.", "96547811", "Havenkade 79, Rijswijk", NULL, 1, "info@reisbranche-servicecenter.example",
     {{"signature", "2025-12-01", NULL, NULL, NULL, 0}},
     {{"Lieke Maas", "l.maas@reisbranche-servicecenter.example", "Customer service director"}}},
    {"Stichting Hulplijn Nederland", "50983602", "Parkweg 86, Utrecht", NULL, 1, "info@hulplijn-nederland.example",
     {{"signature", "2025-07-01", NULL, NULL, NULL, 0}},
     {{"Jan-Willem Prins", "j.prins@hulplijn-nederland.example", "Bestuurder"}}},
    {"Zorgverzekeraar Midden U.A.", "95419392", "Laan van Vollenhove 93, Utrecht", NULL, 0, "info@zorgverzekeraar-midden.example",
     {{"contract", "2025-03-01", NULL, "ZL-2025-014", "Zorglijn Contactcenter B.V.", 1}},
     {{"Monique Hermans", "m.hermans@zorgverzekeraar-midden.example", "Inkoper klantcontactdiensten"}}},
    {"Energie Noord-Holland N.V.", "49855183", "Europaweg 100, Alkmaar", NULL, 1, "info@energie-noord-holland.example",
     {{"contract", "2025-05-01", NULL, "ENH-INK-2025-07", "KlantStem Amsterdam B.V.", 0}},
     {{"Erik Wouters", "e.wouters@energie-noord-holland.example", "Manager inkoop"}}},
    {"Bank Zuid Klantenservice B.V.", "94290973", "Stationsplein 107, Eindhoven", NULL, 0, "info@bank-zuid-klantenservice.example",
     {{"contract", "2025-08-01", NULL, "BZ/2025/112", "Servicehuis Brabant B.V.", 0}},
     {{"Rachida Ouali", "r.ouali@bank-zuid-klantenservice.example", "Vendor manager"}}},
    {"Waterbedrijf Oost N.V.", "48726764", "Kerkstraat 114, Deventer", NULL, 1, "info@waterbedrijf-oost.example",
     {{"contract", "2025-10-01", NULL, "WBO-2025-33", "Belcentrale Twente B.V.", 1}},
     {{"Hans Veenstra", "h.veenstra@waterbedrijf-oost.example", "Teamleider inkoop"}}},
    {"Webwinkel Groep B.V.", "93162554", "Marktplein 121, Utrecht", NULL, 0, "info@webwinkel-groep.example",
     {{"contract", "2024-11-01", "2025-12-31", "WG-2024-09", "Dialoog Groep Nederland B.V.", 0}},
     {{"Linda Smeets", "l.smeets@webwinkel-groep.example", "Inkoopmanager"}}},
    {"Uitzendbureau Klantcontact Flex B.V.", "47598345", "Industrieweg 8, Rotterdam", NULL, 1, "info@uitzendbureau-klantcontact-flex.example",
     {{"contract", "2025-07-01", NULL, "FLEX-2025-001", "ContactCare Rotterdam B.V.", 1}},
     {{"Mohamed Yilmaz", "m.yilmaz@uitzendbureau-klantcontact-flex.example", "Directeur"}}},
    {"Pensioenuitvoerder Contact B.V.", "92034135", "Havenkade 15, Heerlen", NULL, 0, "info@pensioenuitvoerder-contact.example",
     {{"contract", "2026-02-01", NULL, "PUC-2026-02", "Telefonie Totaal Limburg B.V.", 0}},
     {{"Annemiek Scholten", "a.scholten@pensioenuitvoerder-contact.example", "Manager dienstverlening"}}},
    {"Omroep Ledenservice B.V.", "46469926", "Parkweg 22, Hilversum", NULL, 1, "info@omroep-ledenservice.example",
     {{"contract", "2025-09-01", NULL, "OLS-25-18", "Multichannel Service Nederland B.V.", 0}, {"signature", "2025-09-01", NULL, NULL, NULL, 0}},
     {{"Tim van Vliet", "t.vanvliet@omroep-ledenservice.example", "Directeur"}}},
    {"Mobiliteit Servicedesk B.V.", "90905716", "Laan van Vollenhove 29, Den Haag", NULL, 1, "info@mobiliteit-servicedesk.example",
     {{"contract", "2025-07-01", NULL, "MSD-2025-04", "Servicegemak Holland B.V.", 1}},
     {{"Kim Verbeek", "k.verbeek@mobiliteit-servicedesk.example", "Contractmanager"}}},
    {"Thuiszorg Contactpunt B.V.", "45341507", "Europaweg 36, Nijmegen", NULL, 0, "info@thuiszorg-contactpunt.example",
     {{"contract", "2025-04-15", NULL, "TCP-2025-21", "Zorglijn Contactcenter B.V.", 0}},
     {{"Roos Janssens", "r.janssens@thuiszorg-contactpunt.example", "Directeur"}}},
};

static int demo_register_code(store_conn *conn, const audit_actor *system, FILE *report, alvd_err *err)
{
    long long found = 0;
    if (store_code_versions_id_by_label(conn, DEMO_CODE_LABEL, &found, err) != 0)
        return -1;
    if (found)
        return 0;
    FILE *file = fopen(DEMO_CODE_FILE, "rb");
    if (file == NULL)
        return alvd_err_set(err, 500, "demo_code_missing", NULL, "Cannot read %s.", DEMO_CODE_FILE);
    char *markdown = malloc(1024 * 1024);
    size_t length = markdown ? fread(markdown, 1, 1024 * 1024 - 1, file) : 0;
    fclose(file);
    if (markdown == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Out of memory.");
    long long version_id = 0;
    int rc = -1;
    if (store_begin(conn, err) == 0 &&
        service_code_version_store(conn, system, DEMO_CODE_LABEL, DEMO_CODE_EFFECTIVE, NULL, markdown, length,
                                   &version_id, NULL, err) == 0 &&
        store_commit(conn, err) == 0) {
        fprintf(report, "Code version %s (effective %s) loaded from server/demo/code-v1.md\n", DEMO_CODE_LABEL,
                DEMO_CODE_EFFECTIVE);
        rc = 0;
    } else {
        store_rollback(conn);
    }
    free(markdown);
    return rc;
}

/* One organisation with its bases and contacts, unless its KvK number is known. */
static int demo_register_organisation(store_conn *conn, const audit_actor *system, const demo_organisation *org,
                                      int *created, alvd_err *err)
{
    long long id = 0;
    *created = 0;
    if (store_organisations_id_by_kvk(conn, org->kvk, &id, err) != 0)
        return -1;
    if (id)
        return 0;
    store_organisation_fields fields = {org->name, org->kvk, org->email, org->address, org->member_number,
                                        org->public_consent};
    if (store_begin(conn, err) != 0 || store_organisations_insert(conn, &fields, &id, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:s, s:s, s:s}", "source", "demo", "name", org->name, "kvk", org->kvk);
    int audited = audit_append(conn, err, system, "organisation.create", "organisation", id, details);
    json_decref(details);
    if (audited != 0)
        goto fail;
    for (size_t b = 0; b < 3 && org->bases[b].kind; b++) {
        const demo_basis *basis = &org->bases[b];
        /* no pinned version, ended_by or created_by: the demo's rows are as a fresh register has them */
        store_basis_fields row = {.organisation_id = id, .basis = basis->kind, .since = basis->since,
                                  .until = basis->until, .contract_ref = basis->contract_ref,
                                  .counterparty = basis->counterparty,
                                  .follows_amendments = basis->follows_amendments};
        long long basis_id = 0;
        if (store_bases_insert(conn, &row, &basis_id, err) != 0)
            goto fail;
        details = json_pack("{s:s, s:I, s:s, s:s, s:s?}", "source", "demo", "organisation_id", (json_int_t)id,
                            "basis", basis->kind, "since", basis->since, "until", basis->until);
        audited = audit_append(conn, err, system, "basis.create", "basis", basis_id, details);
        json_decref(details);
        if (audited != 0)
            goto fail;
    }
    for (size_t c = 0; c < 2 && org->contacts[c].name; c++) {
        const demo_contact *contact = &org->contacts[c];
        long long contact_id = 0;
        if (store_contacts_insert(conn, id, contact->name, contact->email, contact->function, &contact_id, err) != 0)
            goto fail;
        details = json_pack("{s:s, s:I, s:s}", "source", "demo", "organisation_id", (json_int_t)id, "email",
                            contact->email);
        audited = audit_append(conn, err, system, "contact.create", "contact", contact_id, details);
        json_decref(details);
        if (audited != 0)
            goto fail;
    }
    if (store_commit(conn, err) != 0)
        goto fail;
    *created = 1;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int demo_register_load(store_conn *conn, FILE *report, alvd_err *err)
{
    audit_actor system = {"system", 0, "alvd demo"};
    if (demo_register_code(conn, &system, report, err) != 0)
        return -1;
    size_t count = sizeof demo_organisations / sizeof demo_organisations[0], created = 0;
    for (size_t i = 0; i < count; i++) {
        int made = 0;
        if (demo_register_organisation(conn, &system, &demo_organisations[i], &made, err) != 0)
            return -1;
        created += (size_t)made;
    }
    fprintf(report, "Register: %zu organisations (%zu new), e.g. contact %s of %s\n", count, created,
            demo_organisations[0].contacts[0].email, demo_organisations[0].name);
    return 0;
}
