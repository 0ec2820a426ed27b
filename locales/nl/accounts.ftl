register-title = Account maken
register-intro = Met een account kun je je inschrijven voor cursussen. Het is gratis.
register-submit = Account maken
register-have-account = Heb je al een account?
register-sent-title = Kijk in je e-mail
register-sent-body = We hebben je een e-mail gestuurd. Klik op de link in die e-mail om je e-mailadres te bevestigen. Daarna kun je je inschrijven.
register-sent-spam = Geen e-mail gekregen? Kijk ook in je map met ongewenste e-mail.

label-name = Naam
label-email = E-mailadres
label-password = Wachtwoord
label-new-password = Nieuw wachtwoord
label-current-password = Huidig wachtwoord
label-wijk = Wijk of dorp
label-organisation = Organisatie
label-kind = Ik ben
label-locale = Taal van e-mails en website
label-role = Rol
label-consent = Ik ga akkoord met de
label-consent-link = privacyverklaring
hint-email = Hier sturen we de bevestiging naar.
hint-password = Minstens 10 tekens. Een korte zin is sterk en makkelijk te onthouden.

verify-title = E-mailadres bevestigen
verify-intro = Klik op de knop om je e-mailadres te bevestigen.
verify-button = Bevestig mijn e-mailadres
verify-done-title = Gelukt!
verify-done-body = Je e-mailadres is bevestigd. Je kunt je nu inschrijven voor cursussen.
link-invalid-title = Deze link werkt niet meer
link-invalid-body = De link is verlopen of al gebruikt. Log in en vraag op je profiel een nieuwe link aan.
link-invalid-new = Vraag een nieuwe link aan

login-title = Inloggen
login-submit = Inloggen
login-forgot = Wachtwoord vergeten?
login-no-account = Nog geen account?
login-failed = Het e-mailadres of het wachtwoord klopt niet.
login-throttled = Te veel pogingen. Probeer het over { $minutes } { $minutes ->
    [one] minuut
   *[other] minuten
} opnieuw.
logout-title = Uitloggen
logout-intro = Wil je uitloggen?

forgot-title = Wachtwoord vergeten
forgot-intro = Vul je e-mailadres in. Je krijgt dan een link om een nieuw wachtwoord te kiezen.
forgot-submit = Stuur de link
forgot-sent-title = Kijk in je e-mail
forgot-sent-body = Als er een account is met dit e-mailadres, dan krijg je binnen een paar minuten een e-mail met een link. De link werkt een uur.
reset-title = Nieuw wachtwoord kiezen
reset-intro = Kies een nieuw wachtwoord. Daarna log je overal opnieuw in.
new-password-submit = Wachtwoord opslaan
invitation-title = Welkom bij de Wijkmakers Academie
invitation-intro = Je bent uitgenodigd. Kies een wachtwoord om je account te gebruiken.

profile-title = Mijn profiel
profile-intro = Je bent ingelogd met { $email }.
profile-unverified = Je e-mailadres is nog niet bevestigd. Daarom kun je je nog niet inschrijven. Kijk in je e-mail of vraag een nieuwe link aan.
profile-resend = Stuur een nieuwe link
profile-details = Mijn gegevens
profile-save = Opslaan
profile-password = Wachtwoord veranderen
profile-password-save = Wachtwoord veranderen
profile-calendar = Mijn agenda
profile-calendar-intro = Zet je cursussen in je eigen agenda (bijvoorbeeld Google Agenda of Outlook). Gebruik dit adres om je te abonneren. Deel het niet met anderen.
profile-calendar-label = Adres van je agenda
calendar-subscribe = Abonneer je in je agenda
calendar-copy = Kopieer het adres
calendar-copied = Het adres is gekopieerd.
calendar-renew-intro = Heeft iemand anders je adres gezien? Maak dan een nieuw adres. Het oude adres werkt daarna niet meer.
calendar-renew = Maak een nieuw adres
profile-sessions = Waar ben ik ingelogd?
profile-sessions-intro = Hier zie je waar je nu bent ingelogd. Ken je iets niet? Log het dan uit.
profile-logout-everywhere = Overal uitloggen
profile-privacy = Privacy
profile-privacy-intro = Je kunt al je gegevens downloaden of je account verwijderen.
profile-download = Download mijn gegevens
profile-delete = Verwijder mijn account
session-device = Apparaat
session-last-seen = Laatst gebruikt
session-action = Actie
session-this = Dit apparaat
session-end = Uitloggen

delete-title = Account verwijderen
delete-intro = Als je je account verwijdert, gebeurt dit:
delete-what-1 = We wissen je naam, e-mailadres, wijk en organisatie.
delete-what-2 = Je plekken in cursussen die nog komen geven we aan anderen.
delete-what-3 = We bewaren alleen tellingen zonder naam, bijvoorbeeld hoeveel mensen een cursus volgden.
delete-final = Dit kun je niet ongedaan maken.
delete-password-hint = Vul je wachtwoord in om te laten zien dat jij het bent.
delete-submit = Verwijder mijn account
delete-cancel = Nee, terug naar mijn profiel

privacy-title = Privacyverklaring
privacy-lead = De Wijkmakers Academie gaat zorgvuldig om met je gegevens. Hier lees je welke gegevens we hebben, waarom, en wat je rechten zijn.
privacy-what-title = Welke gegevens hebben we?
privacy-what-account = Je naam, e-mailadres en wachtwoord (versleuteld). Als je dat invult ook je wijk of dorp, organisatie en of je bewoner, vrijwilliger, professional of student bent.
privacy-what-enrolments = Voor welke cursussen je je inschrijft en of je er was.
privacy-what-emails = Welke e-mails we je stuurden.
privacy-what-logins = Waar en wanneer je bent ingelogd, om je account te beschermen.
privacy-why-title = Waarom?
privacy-why = We gebruiken je gegevens om cursussen te regelen: om je in te schrijven, je te mailen over je cursus en om bij te houden wie er was. We tellen deelnemers zonder namen voor verslagen aan partners en subsidiegevers.
privacy-who-title = Wie kan je gegevens zien?
privacy-who = Alleen de trainers van jouw cursus en de coördinatoren van de Academie. Partners krijgen alleen cijfers zonder namen. We verkopen nooit gegevens.
privacy-rights-title = Jouw rechten
privacy-rights = Je mag altijd zien welke gegevens we hebben, ze laten aanpassen of je account laten verwijderen. Dat kan zelf, via je profiel:
privacy-keep-title = Hoe lang bewaren we gegevens?
privacy-keep = Zolang je een account hebt. Verwijder je je account, dan wissen we direct je naam, e-mailadres, wijk en organisatie.
privacy-cookies-title = Cookies
privacy-cookies = We gebruiken alleen cookies die nodig zijn: om je ingelogd te houden, om formulieren te beveiligen en om je taalkeuze te onthouden. We gebruiken geen cookies om je te volgen.

users-title = Gebruikers
users-invite = Iemand uitnodigen
users-invite-intro = Nodig een trainer, coördinator of beheerder uit. Diegene krijgt een e-mail met een link om een wachtwoord te kiezen.
users-invite-submit = Uitnodiging versturen
users-list = Alle gebruikers
users-search = Zoek op naam of e-mailadres
users-count = { $count ->
    [one] 1 gebruiker
   *[other] { $count } gebruikers
}
users-actions = Acties
users-unverified = niet bevestigd
users-role-of = Rol van { $name }
users-role-save = Rol opslaan
users-delete-intro = Je gaat het account van { $email } verwijderen, bijvoorbeeld omdat diegene daarom vroeg. Dit gebeurt dan:
users-delete = Verwijder { $name }
conflict-email-taken = Er is al een account met dit e-mailadres.
conflict-last-admin = Dit is de laatste beheerder. Maak eerst iemand anders beheerder.

summary-kind = Wie je bent
label-consent-short = Privacyverklaring
verify-done-login = Je e-mailadres is bevestigd. Log in met je wachtwoord om verder te gaan.
flash-email-verified = Je e-mailadres is bevestigd.
