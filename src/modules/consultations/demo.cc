#include "modules/consultations/demo.h"

#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/consultations/store.h"
#include "modules/orgs/store.h"

namespace ah::modules::consultations {

namespace {

constexpr const char* kErlass =
    "# § 1 Zweck\n\n"
    "(1) Dieser Erlass regelt, wie das Land den Ausbau gigabitfähiger Netze in den Gemeinden "
    "fördert.\n\n"
    "(2) Gefördert werden Gebiete, in denen kein Netzbetreiber in den nächsten drei Jahren "
    "ausbauen will.\n\n"
    "# § 2 Antrag\n\n"
    "(1) Die Gemeinde stellt den Antrag elektronisch über das Landesportal.\n\n"
    "(2) Dem Antrag ist eine Markterkundung beizufügen, die nicht älter als zwölf Monate ist.\n\n"
    "# § 3 Berichte\n\n"
    "(1) Die Gemeinde berichtet dem Land jährlich über den Stand des Ausbaus.\n";

constexpr const char* kStandard =
    "# 1 Ziel\n\n"
    "Beteiligungsverfahren der Gemeinden sollen für alle zugänglich sein, auch ohne "
    "Anmeldung lesbar und mit dem Telefon bedienbar.\n\n"
    "# 2 Regeln\n\n"
    "(1) Jedes Verfahren nennt Zeitraum, Zuständigkeit und was mit den Beiträgen geschieht.\n\n"
    "(2) Ergebnisse werden spätestens drei Monate nach Ende veröffentlicht.\n\n"
    "(3) Aushänge tragen einen QR-Code, der direkt zum Verfahren führt.\n";

}  // namespace

Status seed_demo(web::Services& s) {
  const std::int64_t now = accounts::unix_now(), day = 86400;
  accounts::AccountStore people(s.db);
  AH_TRY(land, people.find_by_email("land@demo.augenhoehe.invalid"));
  AH_TRY(wittenberg, people.find_by_email("wittenberg@demo.augenhoehe.invalid"));
  AH_TRY(kemberg, people.find_by_email("gemeinde-admin@demo.augenhoehe.invalid"));
  AH_TRY(citizen, people.find_by_email("buergerin@demo.augenhoehe.invalid"));
  if (!land || !wittenberg || !kemberg || !citizen) return {};
  orgs::OrgStore orgs(s.db);
  AH_TRY(land_org, orgs.find("15"));
  AH_TRY(kemberg_org, orgs.find("15091160"));
  AH_TRY(wittenberg_org, orgs.find("15091375"));
  ConsultationStore store(s.db);

  // 1: open — the Land asks the Gemeinden of the Landkreis Wittenberg.
  AH_TRY(open, store.create({.title = "Erlass zur Förderung des Breitbandausbaus",
                             .summary = "Der Entwurf regelt Antrag und Berichte. Bitte prüfen "
                                        "Sie vor allem, ob die Fristen für Sie machbar sind.",
                             .body = kErlass,
                             .author_org = land_org.id,
                             .openness = Openness::public_read,
                             .addressees = {{AddresseeKind::kreis, "15091", 0, {}}},
                             .deadline = now + 21 * day,
                             .created_by = land->id},
                            now - 2 * day));
  AH_TRY(first, store.comment(open, "a6",
                              {.org_id = kemberg_org.id,
                               .passage = "nicht älter als zwölf Monate",
                               .amendment = "(2) Dem Antrag ist eine Markterkundung beizufügen, "
                                            "die nicht älter als 24 Monate ist.",
                               .body = "Eine Markterkundung kostet uns jedes Mal mehrere Monate. "
                                       "Zwölf Monate sind zu knapp."},
                              kemberg->id, now - day));
  AH_TRY_STATUS(store.save_statement(open, kemberg_org.id,
                                     "Wir begrüßen den Erlass. Die Frist in § 2 Abs. 2 ist für "
                                     "kleine Gemeinden zu kurz.",
                                     kemberg->id, now - day));
  AH_TRY_STATUS(store.release_statement(open, kemberg_org.id, kemberg->id, now - day + 3600));
  AH_TRY_STATUS(store.support(first, wittenberg->id, true, now - day + 7200));
  AH_TRY(second, store.comment(open, "a8",
                               {.org_id = wittenberg_org.id,
                                .body = "Jährlich ist zu oft; wir schlagen alle zwei Jahre vor."},
                               wittenberg->id, now - 3600));
  (void)second;

  // 2: finished — Kemberg put a standard out to all Gemeinden and the Land, citizens
  // commented too; the Abwägung is published.
  const std::int64_t start = now - 40 * day, deadline = now - 10 * day;
  AH_TRY(done, store.create({.title = "Standard für Online-Beteiligung in Gemeinden",
                             .summary = "Ein gemeinsamer Mindeststandard, damit Bürgerinnen und "
                                        "Bürger überall gleich gut mitreden können.",
                             .body = kStandard,
                             .author_org = kemberg_org.id,
                             .openness = Openness::public_comments,
                             .addressees = {{AddresseeKind::all_gemeinden, {}, 0, {}},
                                            {AddresseeKind::organisation, {}, land_org.id, {}}},
                             .deadline = deadline,
                             .created_by = kemberg->id},
                            start));
  AH_TRY(from_land, store.comment(done, "a5",
                                  {.org_id = land_org.id,
                                   .body = "Das Land unterstützt die Frist und bietet die "
                                           "Auswertung im Landesportal an."},
                                  land->id, start + 3 * day));
  AH_TRY(from_wittenberg,
         store.comment(done, "a4",
                       {.org_id = wittenberg_org.id,
                        .amendment = "(1) Jedes Verfahren nennt Zeitraum, Zuständigkeit, "
                                     "Ansprechperson und was mit den Beiträgen geschieht.",
                        .body = "Eine Ansprechperson gehört dazu."},
                       wittenberg->id, start + 4 * day));
  AH_TRY(from_citizen, store.comment(done, "a6",
                                     {.body = "Bitte auch einen Link, den man abtippen kann, "
                                              "nicht nur den QR-Code."},
                                     citizen->id, start + 5 * day));
  AH_TRY_STATUS(store.release_statement(done, wittenberg_org.id, wittenberg->id, start + 6 * day));
  AH_TRY_STATUS(store.answer(done, Point::comment(from_land), Verdict::noted, "", kemberg->id,
                             deadline + day));
  AH_TRY_STATUS(store.answer(done, Point::comment(from_wittenberg), Verdict::adopted,
                             "Die Ansprechperson wird aufgenommen.", kemberg->id, deadline + day));
  AH_TRY_STATUS(store.answer(done, Point::comment(from_citizen), Verdict::partly,
                             "Der Aushang nennt künftig auch die Kurzadresse; ein eigener Link "
                             "je Aushang ist nicht vorgesehen.",
                             kemberg->id, deadline + day));
  AH_TRY(told, store.publish_abwaegung(done, kemberg->id, deadline + 2 * day));
  (void)told;
  return {};
}

}  // namespace ah::modules::consultations
