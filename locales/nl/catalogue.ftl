catalogue-title = Cursussen
catalogue-intro = Zoek een cursus die bij je past. Kies een thema, je wijk of dorp, of een maand.
catalogue-themes-nav = Thema's
catalogue-filter-label = Cursussen zoeken
catalogue-search = Zoekwoorden
catalogue-theme = Thema
catalogue-month = Maand
catalogue-available = Alleen cursussen met nog plaats
catalogue-count = { $count ->
    [0] Geen cursussen gevonden.
    [one] 1 cursus gevonden.
   *[other] { $count } cursussen gevonden.
}
catalogue-none = Er zijn geen cursussen die passen bij je zoekopdracht.
catalogue-clear = Toon alle cursussen
catalogue-none-try = Probeer het met minder filters:
catalogue-without-search = Zonder de zoekwoorden „{ $value }”
catalogue-without-theme = Zonder het thema { $value }
catalogue-without-wijk = Zonder de wijk of het dorp { $value }
catalogue-without-month = In alle maanden, niet alleen { $value }
catalogue-without-available = Ook cursussen die vol zijn (met wachtlijst)
catalogue-none-words = Tip: gebruik minder woorden, of alleen het begin van een woord, zoals „energie”.
catalogue-feed = Zet alle cursussen in je agenda (iCal)
seats-left = { $count ->
    [one] Nog 1 plek
   *[other] Nog { $count } plekken
}
seats-full = Vol
waitlist-length = { $count ->
    [one] 1 persoon op de wachtlijst
   *[other] { $count } mensen op de wachtlijst
}
session-count = { $count } bijeenkomsten
format-cursus = Cursus
format-werkplaats = Werkplaats
format-bijeenkomst = Bijeenkomst
status-draft = Concept
status-published = Gepubliceerd
status-cancelled = Geannuleerd
status-archived = Gearchiveerd
status-action-published = Publiceren
status-action-cancelled = Cursus annuleren
status-action-archived = Archiveren

course-archived = Deze cursus is voorbij. Je kunt je niet meer inschrijven.
course-cancelled = Deze cursus gaat niet door.
course-draft = Dit is een concept. Alleen coördinatoren zien deze pagina.
course-enrol-title = Inschrijven
course-you-are-enrolled = Je bent ingeschreven voor deze cursus.
course-you-are-waiting = Je bent nummer { $position } op de wachtlijst.
course-cancel = Uitschrijven
course-cancel-of = Uitschrijven voor { $course }
course-leave-waitlist = Van de wachtlijst af
course-leave-waitlist-of = Van de wachtlijst af voor { $course }
course-cancel-until = Je kunt je uitschrijven tot { $deadline }.
course-deadline-passed = Je kunt je niet meer zelf uitschrijven. Kun je niet komen? Mail dan de coördinator van de Academie: { $email }.
course-login-to-enrol = Log in om je in te schrijven
course-verify-first = Bevestig eerst je e-mailadres. Daarna kun je je inschrijven.
course-enrol = Schrijf me in
course-join-waitlist = Zet me op de wachtlijst
course-sessions = Bijeenkomsten
course-no-sessions = Er zijn nog geen bijeenkomsten gepland.
course-add-to-calendar = Zet in je agenda (iCal)
course-about = Over deze cursus
course-theme = Thema
course-format = Soort
course-audience = Voor wie
course-capacity = Aantal plekken
course-trainers = Trainers
course-opens = Inschrijven kan vanaf
course-closes = Inschrijven kan tot
course-manage = Deze cursus beheren
session-cancelled = Gaat niet door
session-online = Online meedoen

trainings-title = Mijn trainingen
trainings-intro = De bijeenkomsten die jij geeft, vanaf vandaag.
trainings-none = Je hebt geen bijeenkomsten gepland.

manage-title = Cursussen beheren
manage-new = Nieuwe cursus
manage-none = Er zijn nog geen cursussen.
manage-next = Volgende bijeenkomst
manage-seats = Plekken
manage-public-page = Openbare pagina
manage-enrolments = Inschrijvingen
manage-status-title = Status veranderen
manage-status-hint = Een cursus publiceer je als er bijeenkomsten zijn. Annuleer je een cursus, dan krijgt iedereen die is ingeschreven of wacht een e-mail.
manage-no-trainers = Er zijn nog geen trainers gekoppeld.
course-new-title = Nieuwe cursus
course-edit-title = Cursus bewerken
course-save = Opslaan
back = Terug
label-title = Titel
label-status = Status
label-summary = Korte samenvatting
label-description = Beschrijving
label-waitlist = Wachtlijst als de cursus vol is
label-deadline = Uitschrijven kan tot (uren voor de eerste bijeenkomst)
label-threshold = Bewijs van deelname vanaf (procent van de bijeenkomsten)
label-date = Datum
label-start-time = Begintijd
label-end-time = Eindtijd
label-place = Plaats
label-address = Adres
label-online-url = Link om online mee te doen
label-name-nl = Naam (Nederlands)
label-name-en = Naam (Engels)
label-description-nl = Uitleg (Nederlands)
label-description-en = Uitleg (Engels)
label-retired = Niet meer gebruiken voor nieuwe cursussen
hint-summary = Eén of twee zinnen. Deze zie je op de lijst met cursussen.
hint-description = Je kunt Markdown gebruiken: **vet**, *schuin*, lijstjes met - en links.
hint-audience = Bijvoorbeeld: bewoners die een buurtinitiatief willen starten.
hint-capacity = Het grootste aantal deelnemers.
hint-window = Mag leeg blijven. Tijd in Nederland.
hint-deadline = Bijvoorbeeld 24. Daarna kan alleen een coördinator iemand uitschrijven.
hint-threshold = Bijvoorbeeld 80.
hint-date = Bijvoorbeeld 28-03-2027.
hint-place = De naam van het gebouw, bijvoorbeeld Buurtcentrum De Oosterpoort.
hint-online-url = Alleen als mensen ook online mee kunnen doen.
session-add = Bijeenkomst toevoegen
session-edit = Bijeenkomst bewerken
session-edit-intro = Verander je de tijd of de plaats? Dan krijgt iedereen die is ingeschreven een e-mail met de nieuwe gegevens.
session-save = Opslaan
session-cancel = Bijeenkomst van { $date } annuleren
trainer-assign-label = Trainer
trainer-assign = Trainer koppelen
trainer-remove = { $name } ontkoppelen
themes-title = Thema's
themes-intro = Thema's groeperen de cursussen. De korte naam in de link (slug) blijft altijd hetzelfde.
theme-retired = niet meer in gebruik
theme-save = { $name } opslaan
theme-new = Nieuw thema
theme-add = Thema toevoegen

flash-course-created = De cursus is gemaakt. Voeg nu bijeenkomsten toe en publiceer hem.
flash-publish-without-sessions = Voeg eerst een bijeenkomst toe. Daarna kun je de cursus publiceren.
flash-course-saved = De cursus is opgeslagen.
flash-status-published = De cursus is gepubliceerd.
flash-status-cancelled = De cursus is geannuleerd. Iedereen krijgt een e-mail.
flash-status-archived = De cursus is gearchiveerd.
flash-session-added = De bijeenkomst is toegevoegd.
flash-session-saved = De bijeenkomst is opgeslagen.
flash-session-cancelled = De bijeenkomst is geannuleerd. Iedereen krijgt een e-mail.
flash-trainer-assigned = De trainer is gekoppeld.
flash-trainer-removed = De trainer is ontkoppeld.
flash-theme-saved = Het thema is opgeslagen.

field-number = Vul een getal in.
field-theme-unknown = Dit thema bestaat niet.
field-theme-retired = Dit thema wordt niet meer gebruikt. Kies een ander thema.
field-slug-taken = Er is al een thema met deze naam.
field-status-transition = Van { $from } naar { $to } kan niet.
field-status-new-course = Een nieuwe cursus begint als concept.
field-publish-without-sessions = Voeg eerst een bijeenkomst toe. Daarna kun je publiceren.
field-closes-before-opens = Het einde van de inschrijving moet na het begin liggen.
field-ends-before-start = De eindtijd moet na de begintijd liggen.
field-session-too-long = Een bijeenkomst duurt hoogstens 24 uur.
field-time-invalid = Vul een datum en tijd in, zoals 2027-03-28T19:30.
field-date-invalid = Vul een geldige datum in.
field-time-nonexistent = Deze tijd bestaat niet: de klok gaat dan een uur vooruit. Kies een andere tijd.
field-month-invalid = Kies een maand, zoals 2027-03.
field-place-required = Vul een plaats in, of een link om online mee te doen.
field-url-invalid = Vul een link in die begint met https://.
field-not-a-trainer = Deze persoon is geen trainer. Geef eerst de rol trainer.
field-user-unknown = Deze persoon kennen we niet.
conflict-course-closed = Deze cursus is geannuleerd of gearchiveerd.
conflict-session-cancelled = Deze bijeenkomst is al geannuleerd.
conflict-capacity-below-enrolled = Er zijn al { $enrolled } mensen ingeschreven. Dat zijn er meer dan { $capacity } plaatsen. Kies minstens { $enrolled } plaatsen, of schrijf eerst iemand uit.
field-capacity-below-enrolled = Er zijn al { $enrolled } mensen ingeschreven: kies minstens { $enrolled } plaatsen (niet { $capacity }), of schrijf eerst iemand uit.

label-allow-past = Bijeenkomst in het verleden
session-allow-past = Ja, deze bijeenkomst was al. Ik voeg haar toe voor de administratie.
field-session-in-past = Deze datum en tijd zijn al voorbij. Was de bijeenkomst er al? Vink dan „Ja, deze bijeenkomst was al” aan. Anders: kies een datum die nog komt.
seats-taken-of = { $taken } van { $capacity } { $capacity ->
    [one] plaats
   *[other] plaatsen
  } bezet{ $over ->
    [0] {""}
   *[other] {" "}({ $over } boven de capaciteit)
  }
clash-warning = Let op: { $trainer } geeft op dat moment ook { $course } ({ $when }).
clash-own-warning = Let op: op dat moment geef je ook { $course } ({ $when }).
trainer-choose = — kies een trainer —
field-trainer-required = Kies een trainer.
