# Aanbod van een vrijgekomen plek (issue 18). Taalniveau B1.
offer-conflict-no-offer = Er staat geen aanbod voor je klaar voor deze cursus.
offer-conflict-expired = Het aanbod is verlopen. De plek gaat naar de volgende op de wachtlijst.
offer-conflict-cannot-extend = Langer kan niet: een aanbod loopt tot uiterlijk 2 uur voor de volgende bijeenkomst.

offer-mail-subject = Er is een plek vrij voor jou: { $course }
offer-mail-intro = Goed nieuws! Er is een plek vrijgekomen bij { $course }. We houden de plek voor je vast tot { $deadline }.
offer-mail-deadline = Antwoord vóór
offer-mail-choose = Wil je de plek? Klik op de knop en kies "Ik neem de plek". Kun je niet? Kies dan "Ik wil de plek niet". Dan krijgt de volgende op de wachtlijst de kans.
offer-mail-action = Bekijk het aanbod
offer-mail-no-answer = Antwoord je niet op tijd? Dan gaat de plek naar de volgende. Jij blijft dan op de wachtlijst, achteraan.
offer-mail-expired-subject = Je aanbod is verlopen: { $course }
offer-mail-expired-intro = Je hebt niet op tijd gereageerd op het aanbod voor { $course }. De plek gaat naar de volgende op de wachtlijst. Jij blijft op de wachtlijst, achteraan.
offer-mail-withdrawn-subject = Het aanbod is ingetrokken: { $course }
offer-mail-withdrawn-intro = De coördinator heeft het aanbod voor { $course } ingetrokken. Jij blijft op de wachtlijst, achteraan.

offer-seat-free = Er is een plek vrij voor jou bij { $course }.
offer-runs-until = Aanbod loopt tot { $deadline }.
offer-accept = Ik neem de plek
offer-decline-or-more = Ik wil de plek niet
offer-page-title = Een plek voor jou: { $course }
offer-decline-title = Wil je de plek niet?
offer-decline-question = Wil je op de wachtlijst blijven?
offer-decline-stay = Ja, zet me achteraan op de wachtlijst
offer-decline-leave = Nee, haal me van de wachtlijst af
offer-decline = Ik wil de plek niet
offer-not-open = Er staat op dit moment geen aanbod voor je klaar.

offer-manage-runs-until = aanbod loopt tot { $deadline }
offer-manage-extend-label = Meer tijd voor { $name }
offer-manage-hours = { $count } uur
offer-manage-extend = Verleng het aanbod aan { $name }
offer-manage-withdraw = Trek het aanbod aan { $name } in
offer-manage-open-count = { $count ->
    [one] 1 plek aangeboden
   *[other] { $count } plekken aangeboden
}
offer-note-stays = blijft op de wachtlijst
offer-note-leaves = gaat van de wachtlijst af
offer-note-extended = termijn verlengd

offer-form-mode = Als er een plek vrijkomt
offer-form-mode-automatic = De eerste op de wachtlijst krijgt de plek meteen
offer-form-mode-offer = De eerste op de wachtlijst krijgt een aanbod en moet het accepteren
offer-form-hours = Hoeveel uur heeft iemand om te antwoorden?
offer-form-hours-hint = Van 1 tot 168 uur (een week). Vlak voor de cursus is het korter.

action-offered = plek aangeboden
action-offer_accepted = aanbod aangenomen
action-offer_declined = aanbod afgewezen
action-offer_expired = aanbod verlopen
action-offer_withdrawn = aanbod ingetrokken
enrolment-status-offered = Plek aangeboden

flash-offer-accepted = Je hebt de plek. Je krijgt een bevestiging per e-mail.
flash-offer-declined = Je hebt de plek afgewezen en staat niet meer op de wachtlijst.
flash-offer-declined-stay = Je hebt de plek afgewezen. Je staat nog op de wachtlijst, achteraan.
flash-offer-extended = Het aanbod loopt nu langer.
flash-offer-withdrawn = Het aanbod is ingetrokken. De plek gaat naar de volgende.

offer-conflict-no-free-seat = Er is op dit moment geen plek vrij. Je blijft op de wachtlijst.
offer-link-title = Deze link werkt niet meer
offer-link-wrong = Deze link hoort niet bij dit aanbod. Kijk of je de hele link uit de e-mail hebt gebruikt.
offer-link-expired = Het aanbod is verlopen. De plek is naar de volgende op de wachtlijst gegaan.
offer-link-used = Je hebt dit aanbod al beantwoord. Een link uit de e-mail werkt maar één keer.
offer-link-nothing-changed = Er is niets veranderd. Log in om te zien hoe het met je inschrijving staat.
offer-free-seat = Er is een plek vrij bij { $course }. Wil je die plek? Je kunt hem meteen nemen.
offer-take-free-seat = Neem de vrije plek
flash-offer-free-seat-taken = Je hebt de plek. Je krijgt een bevestiging per e-mail.
offer-manage-hours-label = Meer tijd voor het aanbod
