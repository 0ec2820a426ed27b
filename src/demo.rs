//! Demo data: accounts for every role and a realistic programme of courses, for a first
//! look at the platform (`wijkmakers demo`, `wijkmakers serve --demo`).
//!
//! Only an empty database (no accounts at all) gets demo data, and it gets all of it or
//! nothing: everything is made in one transaction, under an advisory lock so that two
//! instances started with `--demo` at once do not both fill it. The data is made through
//! the services, as a coordinator would, so it obeys every rule (and queues the emails the
//! rules send, all to `@example.org` addresses, which no mail server delivers).
//! Sessions are given in Europe/Amsterdam local time, relative to today.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::attendance::model::{AttendanceStatus, MarkInput};
use crate::attendance::service as attendance;
use crate::auth::{CurrentUser, Role};

use crate::accounts::model::User;
use crate::accounts::service::{self as accounts, ProfileChange};
use crate::catalogue::input::{CourseInput, SessionInput};
use crate::catalogue::service as catalogue;
use crate::config::{Config, Site};
use crate::db::Db;
use crate::enrolment::service::{self as enrolment, OnBehalf, programme};
use crate::error::AppError;
use crate::ids::{CourseId, UserId};

pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub password: String,
}

pub enum DemoOutcome {
    Created(Vec<DemoLogin>),
    AlreadyHasUsers,
}

/// Advisory lock key under which the demo data is made.
const DEMO_LOCK: i64 = 7_231_001_002;

/// Fill an empty database with demo accounts and courses; answers the logins to print.
pub async fn run(db: &Db, config: &Config) -> anyhow::Result<DemoOutcome> {
    let site = config.site();
    db.run(move |conn| {
        conn.transaction(|conn| {
            conn.batch_execute(&format!("SELECT pg_advisory_xact_lock({DEMO_LOCK})"))?;
            let existing = accounts::count(conn)?;
            if existing > 0 {
                return Ok(DemoOutcome::AlreadyHasUsers);
            }
            fill(conn, &site).map(DemoOutcome::Created)
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("demo data: {}", accounts::describe_error(&e)))
}

// ---------------------------------------------------------------------------------------
// the people

struct Person {
    name: &'static str,
    email: &'static str,
    role: Role,
    wijk: Option<&'static str>,
    kind: Option<&'static str>,
    organisation: Option<&'static str>,
    locale: &'static str,
}

const fn staff(name: &'static str, email: &'static str, role: Role) -> Person {
    Person { name, email, role, wijk: None, kind: None, organisation: Some("Wijkmakers Academie"), locale: "nl" }
}

const fn participant(
    name: &'static str,
    email: &'static str,
    wijk: &'static str,
    kind: &'static str,
    organisation: Option<&'static str>,
) -> Person {
    Person { name, email, role: Role::Participant, wijk: Some(wijk), kind: Some(kind), organisation, locale: "nl" }
}

const COORDINATOR: usize = 1;
const MARIEKE: usize = 2;
const ROB: usize = 3;
const YASMINA: usize = 4;
/// Index of the first participant in `PEOPLE`.
const P: usize = 5;

const PEOPLE: [Person; 15] = [
    staff("Pieter Zijlstra", "beheer@example.org", Role::Admin),
    staff("Hester Visser", "hester.visser@example.org", Role::Coordinator),
    staff("Marieke Wiersma", "marieke.wiersma@example.org", Role::Trainer),
    staff("Rob Kuipers", "rob.kuipers@example.org", Role::Trainer),
    staff("Yasmina Bouali", "yasmina.bouali@example.org", Role::Trainer),
    participant("Fatima El Amrani", "fatima.elamrani@example.org", "vinkhuizen", "bewoner", None),
    participant("Jan Dijkstra", "jan.dijkstra@example.org", "ten-boer", "vrijwilliger", Some("Dorpsbelang Ten Boer")),
    participant(
        "Sanne Bakker",
        "sanne.bakker@example.org",
        "oosterpoort",
        "professional",
        Some("Buurtwerk Oosterpoort"),
    ),
    participant("Mehmet Yılmaz", "mehmet.yilmaz@example.org", "beijum", "bewoner", None),
    participant("Lotte de Vries", "lotte.devries@example.org", "selwerd", "student", Some("Hanzehogeschool")),
    participant("Kees Hoekstra", "kees.hoekstra@example.org", "haren", "vrijwilliger", Some("Dorpshuis Haren")),
    participant("Anouk Smit", "anouk.smit@example.org", "de-hoogte", "bewoner", None),
    participant(
        "Tamara Pieters",
        "tamara.pieters@example.org",
        "lewenborg",
        "professional",
        Some("Vrijwilligerswerk Lewenborg"),
    ),
    participant(
        "Ahmed Hassan",
        "ahmed.hassan@example.org",
        "oosterparkwijk",
        "vrijwilliger",
        Some("Huurdersvereniging Oosterpark"),
    ),
    Person {
        name: "Priya Sharma",
        email: "priya.sharma@example.org",
        role: Role::Participant,
        wijk: Some("paddepoel"),
        kind: Some("student"),
        organisation: Some("Rijksuniversiteit Groningen"),
        locale: "en",
    },
];

/// Short Dutch words for passwords that are random but easy to type from the screen.
const WORDS: [&str; 48] = [
    "fiets", "kade", "tulp", "molen", "gracht", "brug", "zon", "wind", "dijk", "boom", "haven", "toren", "markt",
    "plein", "polder", "wad", "kwelder", "terp", "gras", "klei", "schaap", "eend", "meeuw", "reiger", "wolk", "regen",
    "storm", "lamp", "deur", "raam", "tuin", "bank", "straat", "hek", "kaas", "koek", "thee", "soep", "appel", "peer",
    "kers", "vlag", "boot", "sloot", "wilg", "berk", "mus", "uil",
];

/// `demo-` and three random words, e.g. `demo-kade-reiger-soep`.
fn password() -> String {
    let word = || WORDS[rand::random_range(0..WORDS.len())];
    format!("demo-{}-{}-{}", word(), word(), word())
}

fn acting(user: &User) -> CurrentUser {
    CurrentUser {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role,
        email_verified: user.email_verified_at.is_some(),
        locale: user.locale(),
        session_id: 0,
    }
}

// ---------------------------------------------------------------------------------------
// the places

struct Place {
    name: &'static str,
    address: &'static str,
    wijk: &'static str,
}

const OOSTERPOORT: Place =
    Place { name: "Buurthuis De Poort", address: "Meeuwerderweg 12, Groningen", wijk: "oosterpoort" };
const SELWERD: Place = Place { name: "Wijkcentrum Selwerd", address: "Pleiadenlaan 4, Groningen", wijk: "selwerd" };
const DE_HOOGTE: Place =
    Place { name: "Buurtcentrum De Hoogte", address: "Gerrit Krolstraat 5, Groningen", wijk: "de-hoogte" };
const VINKHUIZEN: Place =
    Place { name: "Wijkcentrum Vinkhuizen", address: "Siersteenlaan 50, Groningen", wijk: "vinkhuizen" };
const BEIJUM: Place = Place { name: "Buurtcentrum De Wiemel", address: "Wibenaheerd 20, Groningen", wijk: "beijum" };
const LEWENBORG: Place = Place { name: "Wijkcentrum Lewenborg", address: "Kiel 4, Groningen", wijk: "lewenborg" };
const HAREN: Place = Place { name: "Dorpshuis Haren", address: "Rijksstraatweg 180, Haren", wijk: "haren" };
const TEN_BOER: Place = Place { name: "Dorpshuis De Kapstok", address: "Stadsweg 20, Ten Boer", wijk: "ten-boer" };
const BINNENSTAD: Place =
    Place { name: "Wijkmakers Academie", address: "Oude Ebbingestraat 30, Groningen", wijk: "binnenstad" };
const OOSTERPARK: Place =
    Place { name: "Buurthuis Oosterpark", address: "Wielewaalplein 7, Groningen", wijk: "oosterparkwijk" };

// ---------------------------------------------------------------------------------------
// the programme

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Published,
    /// Published, with an enrolment window that opens in a few days.
    OpensLater,
    Draft,
    /// Given in the past months, then archived.
    Archived,
    /// Published, started a few weeks ago: its participants joined before the start (one of
    /// them later), and the sessions held have marks.
    Running,
}

struct DemoCourse {
    title: &'static str,
    theme: &'static str,
    format: &'static str,
    capacity: i32,
    summary: &'static str,
    audience: &'static str,
    description: &'static str,
    place: Place,
    /// The first session is on the first `weekday` at least this many days from today
    /// (negative: in the past).
    first_in_days: i64,
    weekday: Weekday,
    /// Local times in Amsterdam.
    from: &'static str,
    until: &'static str,
    sessions: i64,
    every_days: i64,
    trainers: &'static [usize],
    state: State,
}

const PROGRAMME: [DemoCourse; 17] = [
    DemoCourse {
        title: "Signalen van ondermijning herkennen",
        theme: "ondermijning",
        format: "cursus",
        capacity: 16,
        summary: "Leer zien wanneer er iets niet klopt in je wijk, zoals drugshandel of uitbuiting, en wat je dan kunt doen.",
        audience: "Bewoners, vrijwilligers en professionals in Vinkhuizen en omgeving.",
        description: "Soms zie je iets in je straat dat niet klopt. Een woning waar steeds andere mensen komen. \
Jongeren met dure spullen. Een winkel waar nooit klanten zijn. Is dat ondermijning? En wat doe je ermee?

In deze cursus leer je de signalen kennen. Je hoort ervaringen van wijkagenten en van bewoners. \
Je oefent met echte voorbeelden uit Groningen.

## Wat leer je?

- welke signalen er zijn van ondermijning
- hoe je veilig melding maakt, ook anoniem
- wie je kunt bellen: wijkagent, gemeente of Meld Misdaad Anoniem
- hoe je goed voor jezelf zorgt

## Hoe werkt het?

Drie avonden van twee uur. Je hoeft niets voor te bereiden. Er is koffie en thee.",
        place: VINKHUIZEN,
        first_in_days: 9,
        weekday: Weekday::Tue,
        from: "19:30",
        until: "21:30",
        sessions: 3,
        every_days: 7,
        trainers: &[MARIEKE],
        state: State::Published,
    },
    DemoCourse {
        title: "Wat doe je als je iets niet vertrouwt?",
        theme: "ondermijning",
        format: "bijeenkomst",
        capacity: 25,
        summary: "Een avond over twijfels in je buurt: wanneer maak je je zorgen, met wie praat je, en waar meld je het?",
        audience: "Iedereen die in Beijum woont of werkt.",
        description: "Je ziet iets in je buurt en je twijfelt. Is het erg? Moet je iets doen? En wat als iemand \
erachter komt dat jij het hebt gemeld?

Op deze avond praten we daar samen over. Een wijkagent en een medewerker van de gemeente vertellen wat er \
gebeurt met een melding. Je kunt al je vragen stellen.

## Goed om te weten

- je hoeft niets over jezelf te vertellen
- de avond is gratis
- er is een tolk Arabisch en Turks aanwezig",
        place: BEIJUM,
        first_in_days: 16,
        weekday: Weekday::Thu,
        from: "19:30",
        until: "21:00",
        sessions: 1,
        every_days: 7,
        trainers: &[MARIEKE],
        state: State::Published,
    },
    DemoCourse {
        title: "Jongeren weerbaar maken tegen criminele verleiding",
        theme: "ondermijning",
        format: "werkplaats",
        capacity: 12,
        summary: "Hoe praat je met jongeren over snel geld en foute vrienden? Je oefent gesprekken en maakt een plan voor je buurt.",
        audience: "Jongerenwerkers, sportcoaches, ouders en vrijwilligers die met jongeren werken.",
        description: "Criminelen zoeken jongeren die snel geld willen verdienen. Vaak begint het klein: een \
pakketje wegbrengen of een bankpas uitlenen. Jij kunt het verschil maken.

In deze werkplaats oefen je gesprekken met jongeren. Je leert vragen stellen zonder te oordelen. \
En je maakt samen met anderen een plan voor jouw buurt.

## Wat neem je mee naar huis?

1. een gesprekskaart met goede vragen
2. een overzicht van hulp in de stad
3. een eigen plan voor de komende maanden",
        place: DE_HOOGTE,
        first_in_days: 24,
        weekday: Weekday::Wed,
        from: "14:00",
        until: "16:30",
        sessions: 2,
        every_days: 14,
        trainers: &[MARIEKE, YASMINA],
        state: State::Published,
    },
    DemoCourse {
        title: "Energiecoach in je eigen straat",
        theme: "energietransitie",
        format: "cursus",
        capacity: 15,
        summary: "Word energiecoach en help je buren met minder energie gebruiken en een lagere energierekening.",
        audience: "Bewoners van Lewenborg en omliggende wijken. Je hoeft geen technische kennis te hebben.",
        description: "Veel mensen hebben een hoge energierekening. Met kleine dingen kun je al veel besparen. \
Als energiecoach help je je buren daarbij.

## Wat leer je?

- waar een huis de meeste energie verliest
- welke kleine maatregelen goedkoop zijn en snel werken
- hoe je een keukentafelgesprek voert
- welke regelingen en subsidies er zijn in de gemeente Groningen

Na vier avonden ga je samen met een ervaren coach op huisbezoek. Daarna kun je het zelf.",
        place: LEWENBORG,
        first_in_days: 7,
        weekday: Weekday::Mon,
        from: "19:00",
        until: "21:00",
        sessions: 4,
        every_days: 7,
        trainers: &[ROB],
        state: State::Published,
    },
    DemoCourse {
        title: "Samen zonnepanelen regelen in je dorp",
        theme: "energietransitie",
        format: "werkplaats",
        capacity: 12,
        summary: "Van eerste idee tot een zonnedak op het dorpshuis: je leert hoe een energiecoöperatie werkt en maakt een eerste plan.",
        audience: "Inwoners van Ten Boer en de dorpen rond Ten Boer.",
        description: "Wil je met je dorp zelf schone energie opwekken? Dan heb je meer nodig dan een dak. \
Je hebt mensen nodig, geld en een goed plan.

In twee middagen leer je hoe andere dorpen het hebben gedaan. Je hoort hoe een energiecoöperatie \
werkt en wat het kost. En je maakt een eerste plan voor jullie dorp.

## Voor wie?

Voor iedereen die mee wil doen. Neem gerust je buren mee.",
        place: TEN_BOER,
        first_in_days: 12,
        weekday: Weekday::Sat,
        from: "13:30",
        until: "16:30",
        sessions: 2,
        every_days: 14,
        trainers: &[ROB],
        state: State::Published,
    },
    DemoCourse {
        title: "Warmtenet in de wijk: wat betekent het voor jou?",
        theme: "energietransitie",
        format: "bijeenkomst",
        capacity: 25,
        summary: "Een informatieavond over het warmtenet: hoe het werkt, wat het kost en waar je zelf over mag meebeslissen.",
        audience: "Bewoners en huurders in Selwerd en Paddepoel.",
        description: "In een deel van Selwerd komt misschien een warmtenet. Wat betekent dat voor jouw huis \
en je rekening? En wie beslist daarover?

Op deze avond leggen we het in gewone taal uit. Daarna is er tijd voor vragen en voor een gesprek \
met elkaar.

## Programma

- uitleg over het warmtenet
- ervaringen van bewoners uit een andere wijk
- vragen en gesprek in kleine groepen",
        place: SELWERD,
        first_in_days: 30,
        weekday: Weekday::Wed,
        from: "19:30",
        until: "21:30",
        sessions: 1,
        every_days: 7,
        trainers: &[ROB],
        state: State::Published,
    },
    DemoCourse {
        title: "Meepraten en meebeslissen in je wijk",
        theme: "democratisering",
        format: "cursus",
        capacity: 18,
        summary: "Hoe werkt de gemeente, waar kun je invloed hebben en hoe zorg je dat je stem gehoord wordt?",
        audience: "Bewoners die meer invloed willen op wat er in hun wijk gebeurt.",
        description: "Er gebeurt veel in je wijk. Er komt een nieuw plein, de bus gaat anders rijden of er \
worden huizen gebouwd. Maar wie beslist dat eigenlijk? En hoe praat je mee?

## Wat leer je?

- hoe de gemeente werkt en wie wat beslist
- hoe je een inspraakavond goed voorbereidt
- hoe je andere bewoners mee krijgt
- hoe je een goede brief of mail schrijft aan de gemeente

## Hoe werkt het?

Drie avonden. Op de laatste avond komt een raadslid op bezoek.",
        place: SELWERD,
        first_in_days: 10,
        weekday: Weekday::Thu,
        from: "19:30",
        until: "21:30",
        sessions: 3,
        every_days: 7,
        trainers: &[MARIEKE],
        state: State::Published,
    },
    DemoCourse {
        title: "Een bewonersinitiatief opzetten",
        theme: "democratisering",
        format: "werkplaats",
        capacity: 8,
        summary: "Je hebt een goed idee voor je buurt. In deze werkplaats maak je er een plan van, met een begroting en een aanvraag.",
        audience: "Bewoners met een idee voor hun straat of buurt.",
        description: "Een moestuin op een leeg veldje. Een buurtfeest. Een bankje bij de bushalte. \
Veel goede ideeën beginnen bij bewoners. Maar hoe krijg je het voor elkaar?

In deze werkplaats werk je aan je eigen idee. We werken in een kleine groep, zodat er voor iedereen tijd is.

## Wat heb je na afloop?

- een plan op één A4
- een eenvoudige begroting
- een aanvraag voor het wijkbudget die klaar is om te versturen",
        place: OOSTERPOORT,
        first_in_days: 14,
        weekday: Weekday::Tue,
        from: "19:00",
        until: "21:30",
        sessions: 2,
        every_days: 14,
        trainers: &[MARIEKE, YASMINA],
        state: State::Published,
    },
    DemoCourse {
        title: "Het wijkbudget: zo werkt het",
        theme: "democratisering",
        format: "bijeenkomst",
        capacity: 20,
        summary: "Ieder jaar is er geld voor plannen van bewoners. Op deze middag hoor je hoe je een aanvraag doet.",
        audience: "Inwoners van Haren, Glimmen, Onnen en Noordlaren.",
        description: "Wist je dat er geld is voor plannen van bewoners? Bijvoorbeeld voor een buurtfeest, \
een speelplek of een cursus. Op deze middag leggen we uit hoe het werkt.

## Je hoort

- waarvoor je geld kunt aanvragen
- hoe je een aanvraag schrijft
- hoe de dorpen samen beslissen welke plannen geld krijgen

Na afloop kun je je idee bespreken met een medewerker van de gemeente.",
        place: HAREN,
        first_in_days: 20,
        weekday: Weekday::Wed,
        from: "14:00",
        until: "16:00",
        sessions: 1,
        every_days: 7,
        trainers: &[YASMINA],
        state: State::Published,
    },
    DemoCourse {
        title: "Je straat groener maken",
        theme: "wijkvernieuwing",
        format: "werkplaats",
        capacity: 14,
        summary: "Tegels eruit, planten erin: samen met je buren maak je een plan voor een groenere en koelere straat.",
        audience: "Bewoners van Beijum die hun straat samen willen veranderen.",
        description: "Een groene straat is fijner om in te wonen. Het is koeler in de zomer en regenwater \
zakt beter weg. En je leert je buren kennen.

## Wat ga je doen?

1. je kijkt met de groep naar je eigen straat
2. je leert welke planten goed groeien in Groningen
3. je maakt een plan en een tekening
4. je hoort hoe je hulp krijgt van de gemeente

De laatste middag gaan we naar buiten en beginnen we in één straat.",
        place: BEIJUM,
        first_in_days: 18,
        weekday: Weekday::Sat,
        from: "10:00",
        until: "12:30",
        sessions: 3,
        every_days: 14,
        trainers: &[ROB],
        state: State::Published,
    },
    DemoCourse {
        title: "Samen plannen maken voor je wijk",
        theme: "wijkvernieuwing",
        format: "cursus",
        capacity: 16,
        summary: "De Hoogte verandert. Leer hoe een wijkvernieuwing werkt en hoe bewoners mee kunnen ontwerpen.",
        audience: "Bewoners van De Hoogte en de Korrewegwijk.",
        description: "In De Hoogte worden de komende jaren huizen opgeknapt en straten vernieuwd. \
Bewoners kunnen meedenken over hoe de wijk eruit komt te zien.

In deze cursus leer je hoe zo'n vernieuwing werkt. Wie doet wat? Wanneer kun je meepraten? \
En hoe lees je een tekening van een architect?

## Let op

De inschrijving gaat over een paar dagen open. Zet het in je agenda!",
        place: DE_HOOGTE,
        first_in_days: 35,
        weekday: Weekday::Mon,
        from: "19:30",
        until: "21:30",
        sessions: 4,
        every_days: 7,
        trainers: &[ROB, MARIEKE],
        state: State::OpensLater,
    },
    DemoCourse {
        title: "Ontmoetingsplekken die werken",
        theme: "wijkvernieuwing",
        format: "bijeenkomst",
        capacity: 20,
        summary: "Wat maakt een plein, buurthuis of bankje tot een plek waar mensen elkaar echt ontmoeten?",
        audience: "Bewoners, vrijwilligers en opbouwwerkers.",
        description: "Deze bijeenkomst is nog in voorbereiding.

## Ideeën

- rondleiding langs plekken in de Oosterparkwijk
- gesprek met de beheerder van een buurthuis",
        place: OOSTERPARK,
        first_in_days: 45,
        weekday: Weekday::Thu,
        from: "19:30",
        until: "21:30",
        sessions: 1,
        every_days: 7,
        trainers: &[],
        state: State::Draft,
    },
    DemoCourse {
        title: "Sterker staan als wijkmaker",
        theme: "persoonlijk-leiderschap",
        format: "cursus",
        capacity: 12,
        summary: "Ontdek waar je goed in bent, wat je drijft en hoe je anderen meeneemt in je plannen voor de buurt.",
        audience: "Actieve bewoners en vrijwilligers die willen groeien in hun rol.",
        description: "Je zet je in voor je buurt. Soms gaat dat vanzelf, soms loop je vast. \
In deze cursus kijk je naar jezelf: wat kun je goed, en wat wil je leren?

## Wat leer je?

- je eigen kwaliteiten kennen en gebruiken
- keuzes maken: waar zeg je ja tegen, en waar nee?
- anderen enthousiast maken
- omgaan met tegenslag

## Hoe werkt het?

Vijf ochtenden in een kleine groep. Tussen de bijeenkomsten oefen je in je eigen buurt.",
        place: BINNENSTAD,
        first_in_days: -16,
        weekday: Weekday::Fri,
        from: "10:00",
        until: "12:30",
        sessions: 5,
        every_days: 7,
        trainers: &[YASMINA],
        state: State::Running,
    },
    DemoCourse {
        title: "Grenzen stellen als vrijwilliger",
        theme: "persoonlijk-leiderschap",
        format: "werkplaats",
        capacity: 10,
        summary: "Vrijwilligerswerk is mooi, maar het kan ook te veel worden. Je leert je grenzen kennen en aangeven.",
        audience: "Vrijwilligers in Lewenborg, Beijum en Noorddijk.",
        description: "Als vrijwilliger geef je veel. Iedereen weet je te vinden. Maar wat als het te veel wordt?

In deze werkplaats leer je op tijd nee te zeggen, zonder dat je je schuldig voelt. \
We oefenen met situaties die je zelf meemaakt.

## Je leert

- merken wanneer het te veel wordt
- duidelijk zeggen wat je wel en niet doet
- hulp vragen aan anderen",
        place: LEWENBORG,
        first_in_days: 22,
        weekday: Weekday::Tue,
        from: "14:00",
        until: "16:00",
        sessions: 2,
        every_days: 7,
        trainers: &[YASMINA],
        state: State::Published,
    },
    DemoCourse {
        title: "Elkaars taal spreken: bewoners, gemeente en corporatie",
        theme: "elkaars-taal",
        format: "cursus",
        capacity: 20,
        summary: "Bewoners en professionals leren samen hoe ze elkaar beter begrijpen, zonder moeilijke woorden.",
        audience: "Een gemengde groep: bewoners én medewerkers van gemeente, woningcorporaties en welzijn.",
        description: "Bewoners zeggen: ‘ze luisteren niet’. Professionals zeggen: ‘bewoners komen niet’. \
Vaak bedoelen ze hetzelfde, maar spreken ze een andere taal.

In deze cursus zitten bewoners en professionals samen aan tafel. Je leert hoe de ander denkt en werkt. \
En je oefent met gesprekken over echte plannen in de Oosterpoort.

## Wat leer je?

- luisteren naar wat iemand echt bedoelt
- zeggen wat je nodig hebt, in gewone woorden
- afspraken maken waar iedereen zich aan houdt",
        place: OOSTERPOORT,
        first_in_days: 11,
        weekday: Weekday::Wed,
        from: "19:00",
        until: "21:00",
        sessions: 3,
        every_days: 14,
        trainers: &[YASMINA, MARIEKE],
        state: State::Published,
    },
    DemoCourse {
        title: "Helder schrijven voor je buren",
        theme: "elkaars-taal",
        format: "werkplaats",
        capacity: 12,
        summary: "Een nieuwsbrief, flyer of bericht in de buurtapp die iedereen begrijpt: je leert schrijven op B1-niveau.",
        audience: "Vrijwilligers die schrijven voor een buurtkrant, dorpshuis of vereniging.",
        description: "Veel mensen vinden teksten moeilijk. Zeker als er lange zinnen en moeilijke woorden in staan. \
Met eenvoudige taal bereik je veel meer mensen in je buurt.

## Wat ga je doen?

- je leert wat taalniveau B1 is
- je herschrijft een tekst die je zelf meeneemt
- je maakt een flyer die iedereen begrijpt

Neem een tekst mee waar je mee bezig bent, bijvoorbeeld een stuk voor de buurtkrant.",
        place: HAREN,
        first_in_days: 27,
        weekday: Weekday::Thu,
        from: "14:00",
        until: "16:00",
        sessions: 2,
        every_days: 7,
        trainers: &[YASMINA],
        state: State::Published,
    },
    DemoCourse {
        title: "Het goede gesprek in de buurt",
        theme: "elkaars-taal",
        format: "cursus",
        capacity: 14,
        summary: "Hoe ga je in gesprek met buren die je niet goed kent, of met wie je het oneens bent?",
        audience: "Bewoners en vrijwilligers in Vinkhuizen.",
        description: "Een gesprek met je buren is niet altijd makkelijk. Zeker niet als er iets schuurt. \
In deze cursus oefenden we met gesprekken over overlast, afval en parkeren.

## Wat leerden de deelnemers?

- een gesprek rustig beginnen
- luisteren zonder meteen te reageren
- samen een oplossing zoeken",
        place: VINKHUIZEN,
        first_in_days: -70,
        weekday: Weekday::Tue,
        from: "19:30",
        until: "21:30",
        sessions: 3,
        every_days: 14,
        trainers: &[YASMINA],
        state: State::Archived,
    },
];

/// Who enrols where: (participant number, course title). Enrolled in this order, so the
/// full course fills up and its last arrivals wait.
const ENROLMENTS: [(usize, &str); 17] = [
    (0, "Signalen van ondermijning herkennen"),
    (1, "Samen zonnepanelen regelen in je dorp"),
    (1, "Grenzen stellen als vrijwilliger"),
    (2, "Elkaars taal spreken: bewoners, gemeente en corporatie"),
    (2, "Jongeren weerbaar maken tegen criminele verleiding"),
    (3, "Wat doe je als je iets niet vertrouwt?"),
    (3, "Je straat groener maken"),
    (4, "Meepraten en meebeslissen in je wijk"),
    (4, "Warmtenet in de wijk: wat betekent het voor jou?"),
    (5, "Helder schrijven voor je buren"),
    (6, "Jongeren weerbaar maken tegen criminele verleiding"),
    (7, "Energiecoach in je eigen straat"),
    (7, "Grenzen stellen als vrijwilliger"),
    (8, "Signalen van ondermijning herkennen"),
    (8, "Elkaars taal spreken: bewoners, gemeente en corporatie"),
    (9, "Meepraten en meebeslissen in je wijk"),
    (9, "Elkaars taal spreken: bewoners, gemeente en corporatie"),
];

/// The course everybody wants: more participants than seats, so some wait.
const FULL_COURSE: &str = "Een bewonersinitiatief opzetten";
/// Gives up their seat in the full course (in `offer` mode), so the first in line holds an
/// open offer to look at.
const OFFER_FREED_BY: usize = 1;
/// Enrolled by the coordinator (by phone, say) rather than by themselves.
const ON_BEHALF: [(usize, &str); 1] = [(5, "Het wijkbudget: zo werkt het")];
/// Who took part in the archived course, enrolled by the coordinator afterwards.
const ARCHIVED_PARTICIPANTS: [usize; 5] = [0, 2, 5, 6, 8];
/// Who takes part in the running course; the last one joined after its first session.
const RUNNING_PARTICIPANTS: [usize; 7] = [0, 1, 3, 4, 6, 7, 9];

/// The marks of the sessions held, by participant (row) and session (column): mostly
/// present, someone late now and then, an apology, and one person absent twice in a row.
const MARKS: [[AttendanceStatus; 5]; 7] = {
    use AttendanceStatus::*;
    [
        [Present, Present, Present, Late, Present],
        [Present, Late, Present, Present, Present],
        [Present, Excused, Present, Present, Present],
        [Absent, Absent, Absent, Present, Present],
        [Late, Present, Present, Absent, Absent],
        [Present, Present, Present, Present, Excused],
        [Present, Present, Present, Present, Present],
    ]
};

/// The day of `course`'s first session: the first `weekday` at least `first_in_days` from today.
fn first_day(course: &DemoCourse, today: NaiveDate) -> NaiveDate {
    let mut day = today + Duration::days(course.first_in_days);
    while day.weekday() != course.weekday {
        day += Duration::days(1);
    }
    day
}

/// The Christmas holidays and King's Day: the Academie gives no sessions then.
fn on_holiday(day: NaiveDate) -> bool {
    matches!((day.month(), day.day()), (12, 20..=31) | (1, 1..=4) | (4, 27))
}

fn fill(conn: &mut PgConnection, site: &Site) -> Result<Vec<DemoLogin>, AppError> {
    // the people, with passwords to print
    let mut logins = Vec::new();
    let mut people = Vec::new();
    for person in &PEOPLE {
        let secret = password();
        accounts::add_verified_user(conn, person.email, person.name, person.role, &secret)?;
        let user = accounts::find_by_email(conn, person.email)?.ok_or(AppError::NotFound)?;
        let change = ProfileChange {
            wijk: person.wijk.map(str::to_owned),
            organisation: person.organisation.map(str::to_owned),
            participant_kind: person.kind.map(str::to_owned),
            locale: Some(person.locale.to_owned()),
            ..ProfileChange::default()
        };
        people.push(accounts::update_profile(conn, user.id, &change)?);
        logins.push(DemoLogin { role: person.role, email: person.email.to_owned(), password: secret });
    }
    let coordinator = acting(&people[COORDINATOR]);

    // the programme, as a coordinator makes it
    let today = Utc::now().with_timezone(&Amsterdam).date_naive();
    let mut ids: Vec<(&str, CourseId)> = Vec::new();
    let mut archive = Vec::new();
    let mut running = Vec::new();
    for course in &PROGRAMME {
        let first = first_day(course, today);
        // one course is announced before its enrolment opens
        let opens = (course.state == State::OpensLater).then(|| Some(format!("{}T09:00", today + Duration::days(4))));
        let input = CourseInput {
            title: Some(course.title.to_owned()),
            summary: Some(course.summary.to_owned()),
            description: Some(course.description.to_owned()),
            theme: Some(course.theme.to_owned()),
            format: Some(course.format.to_owned()),
            audience: Some(course.audience.to_owned()),
            capacity: Some(course.capacity),
            enrolment_opens_at: opens,
            // the full course offers a freed seat rather than giving it at once
            waitlist_mode: (course.title == FULL_COURSE).then(|| "offer".to_owned()),
            offer_hours: (course.title == FULL_COURSE).then_some(48),
            ..CourseInput::default()
        };
        let id = catalogue::create_course(conn, &coordinator, &input.parse())?.course.id;
        let mut day = first;
        for n in 0..course.sessions {
            if n > 0 {
                day += Duration::days(course.every_days);
            }
            while on_holiday(day) {
                day += Duration::days(7);
            }
            let session = SessionInput {
                starts_at: Some(format!("{day}T{}", course.from)),
                ends_at: Some(format!("{day}T{}", course.until)),
                place: Some(course.place.name.to_owned()),
                address: Some(course.place.address.to_owned()),
                wijk: Some(Some(course.place.wijk.to_owned())),
                online_url: None,
                allow_past: None,
            };
            programme::add_session(conn, site, &coordinator, id, &session.parse())?;
        }
        for &trainer in course.trainers {
            catalogue::assign_trainer(conn, &coordinator, id, people[trainer].id)?;
        }
        if course.state != State::Draft {
            let publish = CourseInput { status: Some("published".to_owned()), ..CourseInput::default() };
            programme::update_course(conn, site, &coordinator, id, &publish.parse())?;
        }
        match course.state {
            State::Archived => archive.push(id),
            State::Running => running.push(id),
            _ => {}
        }
        ids.push((course.title, id));
    }
    let course_id = |title: &str| ids.iter().find(|(t, _)| *t == title).map(|(_, id)| *id).ok_or(AppError::NotFound);

    // participants enrol themselves; the full course gets everybody, the last ones wait
    let participants = &people[P..];
    let mut wishes: Vec<(usize, &str)> = ENROLMENTS.to_vec();
    wishes.extend((0..participants.len()).map(|p| (p, FULL_COURSE)));
    for (p, title) in wishes {
        enrolment::enrol(conn, site, &acting(&participants[p]), course_id(title)?)?;
    }
    // someone gives up their seat in the full course: it is offered to the first in line
    enrolment::cancel_own(conn, site, &acting(&participants[OFFER_FREED_BY]), course_id(FULL_COURSE)?)?;
    for (p, title) in ON_BEHALF {
        let who = OnBehalf { user_id: Some(participants[p].id), email: None, name: None, override_capacity: false };
        enrolment::enrol_on_behalf(conn, site, &coordinator, course_id(title)?, &who)?;
    }
    // the archived course was given in the past months: its participants, their marks, then archived
    let ids_of = |list: &[usize]| list.iter().map(|p| participants[*p].id).collect::<Vec<UserId>>();
    for id in archive {
        took_part(conn, site, &coordinator, id, &ids_of(&ARCHIVED_PARTICIPANTS))?;
        let done = CourseInput { status: Some("archived".to_owned()), ..CourseInput::default() };
        programme::update_course(conn, site, &coordinator, id, &done.parse())?;
    }
    for id in running {
        took_part(conn, site, &coordinator, id, &ids_of(&RUNNING_PARTICIPANTS))?;
    }
    Ok(logins)
}

/// People who took part in a course that has begun: enrolled by the coordinator, dated back
/// to a week before the first session (the last one: to the day after it, a late joiner),
/// and marked at every session held so far as [`MARKS`] says.
fn took_part(
    conn: &mut PgConnection,
    site: &Site,
    coordinator: &CurrentUser,
    id: CourseId,
    people: &[UserId],
) -> Result<(), AppError> {
    for user in people {
        let who = OnBehalf { user_id: Some(*user), email: None, name: None, override_capacity: false };
        enrolment::enrol_on_behalf(conn, site, coordinator, id, &who)?;
    }
    let sessions = catalogue::with_sessions(conn, &[id])?.into_iter().next().map(|(_, s)| s).unwrap_or_default();
    let Some(first) = sessions.first() else { return Ok(()) };
    let (late, early) = people.split_last().ok_or(AppError::NotFound)?;
    enrolment::date_back(conn, coordinator, id, early, first.starts_at - Duration::days(7))?;
    enrolment::date_back(conn, coordinator, id, &[*late], first.starts_at + Duration::days(1))?;
    let now = Utc::now();
    for (n, session) in sessions.iter().enumerate().filter(|(_, s)| s.starts_at <= now) {
        let marks: Vec<MarkInput> = people
            .iter()
            .zip(MARKS.iter())
            .filter(|(user, _)| *user != late || n > 0)
            .map(|(user, row)| MarkInput { user_id: *user, status: row[n % row.len()], note: None })
            .collect();
        attendance::set_marks(conn, coordinator, session.id, &marks)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_readable_and_long_enough() {
        let a = password();
        assert!(a.starts_with("demo-") && a.split('-').count() == 4, "{a}");
        assert!(a.chars().count() >= crate::accounts::password::MIN_CHARS);
        assert!((0..20).map(|_| password()).any(|b| b != a), "passwords are random");
    }

    #[test]
    fn no_sessions_in_the_christmas_holidays() {
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert!(on_holiday(day(12, 24)) && on_holiday(day(1, 1)) && on_holiday(day(4, 27)));
        assert!(!on_holiday(day(12, 19)) && !on_holiday(day(1, 5)) && !on_holiday(day(6, 1)));
    }

    #[test]
    fn the_programme_is_consistent() {
        let themes =
            ["ondermijning", "energietransitie", "democratisering", "wijkvernieuwing", "persoonlijk-leiderschap"];
        for theme in themes.into_iter().chain(["elkaars-taal"]) {
            assert!(
                PROGRAMME.iter().any(|c| c.theme == theme && matches!(c.state, State::Published | State::Running)),
                "{theme}"
            );
        }
        for course in &PROGRAMME {
            assert!((8..=25).contains(&course.capacity), "{}", course.title);
            assert!(crate::places::find(course.place.wijk).is_some(), "{}", course.place.wijk);
        }
        for (_, title) in ENROLMENTS.iter().chain(ON_BEHALF.iter()) {
            assert!(PROGRAMME.iter().any(|c| c.title == *title), "{title}");
        }
        let full = PROGRAMME.iter().find(|c| c.title == FULL_COURSE).expect("the full course");
        assert!(full.capacity < (PEOPLE.len() - P) as i32, "more participants than seats");
        for person in &PEOPLE {
            assert!(person.email.ends_with("@example.org"), "{}", person.email);
            assert!(person.wijk.is_none_or(|w| crate::places::find(w).is_some()));
        }
    }
}
