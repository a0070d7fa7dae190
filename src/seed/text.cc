#include "seed/text.h"

#include <array>

namespace ah::seed {

namespace {

using Words = std::span<const std::string_view>;

constexpr std::string_view kFirstNames[] = {
    "Anna",      "Ben",    "Clara",    "David",      "Emma",    "Felix",     "Greta",    "Hannes",
    "Ida",       "Jonas",  "Karla",    "Lukas",      "Mia",     "Niklas",    "Olga",     "Paul",
    "Rosa",      "Stefan", "Tina",     "Uwe",        "Vera",    "Werner",    "Yvonne",   "Jürgen",
    "Sören",     "Käthe",  "Günter",   "Jörg",       "Bärbel",  "Heike",     "Matthias", "Sabine",
    "Thomas",    "Ute",    "Dirk",     "Kerstin",    "Marlene", "Friedrich", "Luise",    "Moritz",
    "Charlotte", "Henrik", "Josefine", "Konstantin", "Lena",    "Maximilian"};
constexpr std::string_view kLastNames[] = {
    "Müller",   "Schmidt",   "Schneider", "Fischer",    "Weber",  "Meyer",   "Wagner",  "Becker",
    "Schulz",   "Hoffmann",  "Schäfer",   "Koch",       "Bauer",  "Richter", "Klein",   "Wolf",
    "Schröder", "Neumann",   "Schwarz",   "Zimmermann", "Braun",  "Krüger",  "Hofmann", "Hartmann",
    "Lange",    "Schmitt",   "Werner",    "Krause",     "Meier",  "Lehmann", "Schmid",  "Schulze",
    "Maier",    "Köhler",    "Herrmann",  "König",      "Walter", "Mayer",   "Huber",   "Kaiser",
    "Fuchs",    "Peters",    "Lang",      "Scholz",     "Möller", "Weiß",    "Jung",    "Hahn",
    "Vogel",    "Friedrich", "Günther",   "Keller",     "Böhme",  "Pätzold", "Kühn",    "Thiele",
    "Voigt",    "Seidel",    "Ziegler",   "Förster"};

constexpr std::string_view kProjects[] = {"Radverkehrskonzept",
                                          "Neugestaltung des Marktplatzes",
                                          "Spielplatzentwicklungsplan",
                                          "Haushalt 2027",
                                          "Klimaschutzkonzept",
                                          "Schulwegsicherung",
                                          "Dorfentwicklungsplan",
                                          "Digitalisierungsstrategie",
                                          "Lärmaktionsplan",
                                          "Bürgerhaushalt",
                                          "Ortskernbelebung",
                                          "Mobilitätskonzept",
                                          "Grünflächenkonzept",
                                          "Seniorenpolitisches Konzept",
                                          "Jugendbeteiligung",
                                          "Hochwasserschutz",
                                          "Breitbandausbau",
                                          "Tourismuskonzept",
                                          "Friedhofsentwicklung",
                                          "Sportstättenentwicklungsplan",
                                          "Stadtbaumkonzept",
                                          "Nahverkehrsplan",
                                          "Kita-Bedarfsplanung",
                                          "Leitbild 2035"};
constexpr std::string_view kAims[] = {"sicherer und lebenswerter",
                                      "grüner und kühler",
                                      "für alle Generationen attraktiver",
                                      "barrierefrei",
                                      "fit für die Zukunft",
                                      "lebendiger",
                                      "klimafreundlicher",
                                      "familienfreundlicher"};
constexpr std::string_view kPlaces[] = {
    "am Marktplatz",    "an der Grundschule", "im Neubaugebiet",      "an der Bushaltestelle",
    "am Friedhof",      "im Stadtpark",       "an der Hauptstraße",   "am Bahnhof",
    "vor dem Rathaus",  "am Sportplatz",      "an der Kita",          "am Dorfteich",
    "im Gewerbegebiet", "an der Elbe",        "am Radweg nach Süden", "an der Kirche",
    "am Jugendclub",    "im Schlossgarten"};
constexpr std::string_view kWishes[] = {"Mehr Sitzbänke",
                                        "Eine sichere Querungshilfe",
                                        "Neue Fahrradbügel",
                                        "Mehr Schatten",
                                        "Ein öffentlicher Trinkbrunnen",
                                        "Bessere Beleuchtung",
                                        "Ein Bücherschrank",
                                        "Tempo 30",
                                        "Eine Ladesäule für E-Autos",
                                        "Ein barrierefreier Zugang",
                                        "Mehr Mülleimer",
                                        "Ein Wasserspielplatz",
                                        "Blühwiesen statt Rasen",
                                        "Ein Unterstand für Wartende",
                                        "Ein Zebrastreifen",
                                        "Eine Hundewiese",
                                        "Obstbäume",
                                        "Ein überdachter Treffpunkt",
                                        "Eine Calisthenics-Anlage",
                                        "Ein Dorfladen",
                                        "Ein Carsharing-Stellplatz",
                                        "Eine öffentliche Toilette",
                                        "Kostenloses WLAN",
                                        "Ein Bolzplatz"};
constexpr std::string_view kReasons[] = {
    "Viele ältere Menschen müssen hier lange stehen.",
    "Im Sommer wird es auf dem Platz unerträglich heiß.",
    "Die Kinder gehen hier jeden Morgen zur Schule, und die Autos fahren zu schnell.",
    "Abends ist der Weg so dunkel, dass man sich nicht mehr sicher fühlt.",
    "Es gibt im ganzen Ortsteil keinen Ort, an dem sich Jugendliche treffen können.",
    "Die Fahrräder werden bisher an Zäune und Laternen gekettet.",
    "Mit Rollator oder Kinderwagen kommt man über die Stufen nicht hinweg.",
    "Seit Jahren wird darüber geredet, jetzt sollten wir handeln.",
    "Das würde den Ortskern beleben und den Einzelhandel stärken.",
    "Bienen und Schmetterlinge finden hier kaum noch Nahrung.",
    "Der Bus kommt oft verspätet, und bei Regen steht man im Freien.",
    "Vereine und Nachbarn würden sich um die Pflege kümmern."};
constexpr std::string_view kDetails[] = {
    "Die Kosten ließen sich über das Förderprogramm des Landes teilweise decken.",
    "Ein ähnliches Projekt in der Nachbargemeinde hat gut funktioniert.",
    "Der Bauhof könnte die Arbeiten im Frühjahr erledigen.",
    "Die Anwohnerinnen und Anwohner sollten vorher gefragt werden.",
    "Wichtig ist, dass die Lösung auch im Winter funktioniert.",
    "Eine Probephase von einem Jahr wäre ein guter Anfang.",
    "Die Grundschule hat bereits angeboten, sich zu beteiligen.",
    "Bitte dabei auch an Menschen mit Sehbehinderung denken."};
constexpr std::string_view kComments[] = {
    "Gute Idee, das unterstütze ich.",
    "Das sehe ich genauso.",
    "Wer soll das bezahlen?",
    "Daran habe ich auch schon gedacht.",
    "Bitte unbedingt mit den Anwohnern absprechen.",
    "Wir wohnen direkt daneben und würden uns sehr freuen.",
    "Ich bin skeptisch, ob der Platz dafür reicht.",
    "Im Nachbarort gibt es das schon, es wird gut angenommen.",
    "Das wäre besonders für die Kinder wichtig.",
    "Vielleicht ließe sich das mit dem Radweg verbinden.",
    "Danke für den Vorschlag!",
    "Das Problem besteht seit Jahren.",
    "Man sollte auch die Pflege mitdenken.",
    "Könnte der Heimatverein hier mithelfen?"};
constexpr std::string_view kTopics[] = {"Digitale Verwaltung",
                                        "Onlinezugangsgesetz",
                                        "Kommunale Wärmeplanung",
                                        "Katastrophenschutz",
                                        "IT-Sicherheit",
                                        "Breitband",
                                        "Schulträgerschaft",
                                        "Klimaanpassung",
                                        "Fachkräfte",
                                        "E-Akte",
                                        "Open Data",
                                        "Bauleitplanung",
                                        "Tourismus",
                                        "ÖPNV im ländlichen Raum",
                                        "Interkommunale Zusammenarbeit",
                                        "Beschaffung",
                                        "Friedhofswesen",
                                        "Kita-Finanzierung"};
constexpr std::string_view kThreadStarts[] = {"Erfahrungen mit",
                                              "Fragen zu",
                                              "Protokoll: Sitzung zu",
                                              "Vorschlag für eine Vorlage:",
                                              "Entwurf der Stellungnahme zu",
                                              "Termine und Fristen:",
                                              "Austausch zu"};
constexpr std::string_view kOpeners[] = {
    "Mit diesem Verfahren möchten wir gemeinsam mit Ihnen", "Wir laden alle ein,",
    "Die Verwaltung bittet um Ihre Ideen, um", "Gemeinsam wollen wir"};
constexpr std::string_view kSteps[] = {
    "Bis zum Ende der ersten Phase können Sie Vorschläge einreichen und unterstützen.",
    "Anschließend prüft die Verwaltung alle Vorschläge auf Machbarkeit und Kosten.",
    "Der Gemeinderat entscheidet danach in öffentlicher Sitzung.",
    "Über jeden Vorschlag berichten wir hier, was aus ihm geworden ist.",
    "Kommentare helfen uns, Vorschläge besser zu verstehen.",
    "Die Ergebnisse werden im Amtsblatt und auf dieser Seite veröffentlicht."};

std::string sentences(Random& random, Words words, int min, int max) {
  std::string out;
  int n = min + static_cast<int>(random.below(max - min + 1));
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += random.pick(words);
  }
  return out;
}

}  // namespace

std::string person_name(Random& random) {
  return std::string(random.pick(kFirstNames)) + " " + std::string(random.pick(kLastNames));
}

std::string process_title(Random& random, std::string_view place) {
  return std::string(random.pick(kProjects)) + " " + std::string(place);
}

std::string process_summary(Random& random, std::string_view place) {
  return "Wie machen wir " + std::string(place) + " " + std::string(random.pick(kAims)) +
         "? Ihre Vorschläge sind gefragt.";
}

std::string process_body(Random& random, std::string_view place) {
  std::string body = "## Worum es geht\n\n" + std::string(random.pick(kOpeners)) + " " +
                     std::string(place) + " " + std::string(random.pick(kAims)) + " zu machen. " +
                     sentences(random, kReasons, 1, 2) + "\n\n## Ablauf\n\n";
  for (int i = 0; i < 3; ++i) body += "- " + std::string(random.pick(kSteps)) + "\n";
  body += "\n" + sentences(random, kDetails, 1, 2) + "\n";
  return body;
}

std::string proposal_title(Random& random) {
  return std::string(random.pick(kWishes)) + " " + std::string(random.pick(kPlaces));
}

std::string proposal_body(Random& random) {
  std::string body = sentences(random, kReasons, 1, 3);
  if (random.chance(0.6)) body += "\n\n" + sentences(random, kDetails, 1, 2);
  if (random.chance(0.2))
    body += "\n\n**Mein Vorschlag:** " + std::string(random.pick(kWishes)) + ".";
  return body;
}

std::string place_in_words(Random& random) {
  static constexpr std::string_view kStreets[] = {
      "Hauptstraße", "Bahnhofstraße", "Schulstraße",  "Lindenallee",           "Am Anger",
      "Kirchplatz",  "Mühlenweg",     "Gartenstraße", "Thomas-Müntzer-Straße", "Lutherstraße",
      "Feldweg"};
  return std::string(random.pick(kStreets)) + " " + std::to_string(1 + random.below(60)) + ", " +
         std::string(random.pick(kPlaces));
}

std::string comment(Random& random) {
  std::string text = sentences(random, kComments, 1, 2);
  if (random.chance(0.4)) text += " " + std::string(random.pick(kDetails));
  return text;
}

std::string group_name(Random& random, std::int64_t number) {
  return "AG " + std::string(random.pick(kTopics)) + " " + std::to_string(number);
}

std::string group_description(Random& random) {
  return "Wir tauschen uns über **" + std::string(random.pick(kTopics)) +
         "** aus: Land, Kreise und Gemeinden auf Augenhöhe. " + sentences(random, kDetails, 1, 2);
}

std::string thread_title(Random& random) {
  return std::string(random.pick(kThreadStarts)) + " " + std::string(random.pick(kTopics));
}

std::string decision_title(Random& random) {
  static constexpr std::string_view kAsks[] = {
      "Gemeinsamen Leitfaden annehmen:", "Pilotphase starten:", "Mustervorlage übernehmen:",
      "Arbeitsschwerpunkt 2027:", "Schulung gemeinsam ausschreiben:"};
  return std::string(random.pick(kAsks)) + " " + std::string(random.pick(kTopics));
}

std::string decision_outcome(Random& random) {
  static constexpr std::string_view kOutcomes[] = {
      "Angenommen.", "Angenommen mit den genannten Bedenken als Auftrag.",
      "Vertagt: wir sammeln erst Erfahrungen.", "Abgelehnt; ein neuer Vorschlag folgt."};
  return std::string(random.pick(kOutcomes)) + " " + sentences(random, kDetails, 1, 1);
}

}  // namespace ah::seed
