site-name = Wijkmakers Academie
skip-to-content = Ga naar de inhoud
nav-label = Hoofdmenu
nav-courses = Cursussen
nav-my-courses = Mijn cursussen
nav-my-trainings = Mijn trainingen
nav-manage-courses = Cursussen beheren
nav-outbox = E-mails
nav-users = Gebruikers
nav-profile-of = Profiel van
nav-login = Inloggen
nav-register = Account maken
nav-logout = Uitloggen
nav-privacy = Privacy
switch-language = English
footer-tagline = De Wijkmakers Academie is er voor iedereen, waar je ook woont, waar je ook vandaan komt, wie je ook bent.
footer-api = API voor ontwikkelaars
language-nl = Nederlands
language-en = English
footer-agenda = Agenda (iCal)
pagination = Pagina's

home-title = Leren voor je wijk en je dorp
home-lead = De Wijkmakers Academie geeft cursussen aan iedereen die zijn wijk of dorp in de gemeente Groningen mooier, veiliger en sterker wil maken.
home-everyone = Voor bewoners, vrijwilligers, professionals en studenten. Je hebt geen diploma nodig. Je leert met en van elkaar, dicht bij huis.
home-cta = Bekijk de cursussen
home-how-title = Zo werkt het
home-how-find = Zoek een cursus op thema, wijk of maand.
home-how-enrol = Maak een account en schrijf je in. Je krijgt een bevestiging per e-mail.
home-how-learn = Kom naar de bijeenkomsten. Je krijgt een herinnering per e-mail, en de data staan in je agenda.
home-themes-title = Onze thema's
home-themes-body = Ondermijning, energietransitie, democratisering, wijkvernieuwing, persoonlijk leiderschap en elkaars taal spreken.

form-optional = mag leeg blijven
form-error-prefix = Fout:
form-error-summary = Er gaat iets mis. Kijk naar deze velden:
choose-none = — kies —
choose-all = Alles
filter-submit = Zoeken

error-home-link = Naar de startpagina
error-request-id = Wil je ons helpen? Noem dan deze code: { $id }
error-not-found-title = Niet gevonden
error-not-found-detail = Deze pagina of dit onderdeel bestaat niet (meer).
error-unauthorized-title = Log eerst in
error-unauthorized-detail = Je moet ingelogd zijn om dit te doen.
error-forbidden-title = Geen toegang
error-forbidden-detail = Je mag dit niet doen met jouw account.
error-csrf-detail = Dit formulier is verlopen of kwam niet van deze website. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-conflict-title = Dit kan nu niet
error-validation-title = Controleer wat je invulde
error-validation-detail = Niet alles is goed ingevuld.
error-bad-request-title = Verzoek niet begrepen
error-bad-request-detail = We begrijpen dit verzoek niet.
error-bad-json-detail = De inhoud is geen geldige JSON.
error-method-title = Kan hier niet
error-method-detail = Deze actie kan niet op dit adres.
error-too-large-title = Te groot
error-too-large-detail = Wat je stuurde is te groot.
error-media-type-title = Verkeerd soort inhoud
error-media-type-detail = Stuur de inhoud als application/json.
error-too-many-title = Even wachten
error-too-many-detail = Te veel pogingen. Wacht even en probeer het daarna opnieuw.
error-unavailable-title = Even niet beschikbaar
error-unavailable-detail = Het platform is even niet bereikbaar. Probeer het over een paar minuten opnieuw.
error-internal-title = Er ging iets mis
error-internal-detail = Er ging bij ons iets mis. Het is niet jouw fout. Probeer het later nog eens.

field-required = Vul dit veld in.
field-too-long = Dit is te lang: hoogstens { $max } tekens.
field-control-chars = Gebruik hier geen enters of tabs.
field-type = Dit veld heeft niet de goede vorm.
field-range = Kies een getal van { $min } tot en met { $max }.
field-choice = Kies een van de mogelijkheden.
field-email-invalid = Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.
field-email-taken = Er is al een account met dit e-mailadres.
field-password-too-short = Kies een wachtwoord van minstens { $min } tekens. Een korte zin werkt goed.
field-password-too-long = Dit wachtwoord is te lang.
field-password-common = Dit wachtwoord is te bekend en dus makkelijk te raden. Kies een ander.
field-password-is-email = Je wachtwoord mag niet hetzelfde zijn als je e-mailadres.
field-password-wrong = Dit wachtwoord klopt niet.
field-register-throttled = Er zijn net te veel aanmeldingen gedaan. Probeer het over { $minutes } { $minutes ->
    [one] minuut
   *[other] minuten
} opnieuw.
field-password-throttled = Te vaak een verkeerd wachtwoord. Probeer het over { $minutes } { $minutes ->
    [one] minuut
   *[other] minuten
} opnieuw.
field-consent-required = Je moet akkoord gaan met de privacyverklaring.
field-wijk-unknown = Deze wijk of dit dorp kennen we niet. Kies er een uit de lijst.
field-kind-unknown = Kies bewoner, vrijwilliger, professional of student.
field-token-invalid = Deze link is verlopen of al gebruikt.

flash-logged-out = Je bent uitgelogd.
flash-logged-out-everywhere = Je bent overal uitgelogd.
flash-password-reset = Je wachtwoord is veranderd. Log in met je nieuwe wachtwoord.
flash-password-changed = Je wachtwoord is veranderd.
flash-profile-saved = Je gegevens zijn opgeslagen.
flash-feed-renewed = Je agenda heeft een nieuw adres. Het oude adres werkt niet meer: abonneer je opnieuw met het nieuwe.
flash-session-ended = Die sessie is beëindigd.
flash-verification-sent = We hebben je een nieuwe link gestuurd.
flash-account-deleted = Het account is verwijderd.
flash-welcome = Welkom! Je account is klaar.
flash-invited = De uitnodiging is verstuurd.
flash-role-changed = De rol is aangepast.

role-participant = Deelnemer
role-trainer = Trainer
role-coordinator = Coördinator
role-admin = Beheerder
kind-bewoner = Bewoner
kind-vrijwilliger = Vrijwilliger
kind-professional = Professional
kind-student = Student
field-invisible-chars = Hier staat een onzichtbaar teken in dat we niet kunnen bewaren. Typ de tekst opnieuw, zonder te plakken.
