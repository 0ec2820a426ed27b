## Zelf inchecken

checkin-title = Inchecken
checkin-intro = Vul de code in die je trainer laat zien. Dan weet de trainer dat je er bent.
checkin-code-label = Code
checkin-code-hint = 6 letters en cijfers, bijvoorbeeld K7PX2M.
checkin-submit = Inchecken
checkin-here-button = Ik ben er
checkin-done-title = Je bent ingecheckt.
checkin-done-present = Fijn dat je er bent! Je trainer ziet nu dat je aanwezig bent.
checkin-done-late = Fijn dat je er bent! Je was wat later dan de start, daarom staat er "te laat" bij je naam.
checkin-to-my-courses = Naar mijn cursussen
checkin-screen-title = Inchecken
checkin-to-roster = Terug naar de presentielijst
checkin-roster-link = Inchecken met een code
checkin-window = Inchecken kan van { $opens } tot { $closes }.
checkin-link-label = Of open deze link (of scan de QR-code):
checkin-qr-label = QR-code met de link om in te checken
checkin-no-code = Deelnemers kunnen zelf inchecken met een code. Maak de code en laat hem zien, bijvoorbeeld op je telefoon of op een scherm.
checkin-make = Maak een code
checkin-here-title = Wie is er?
checkin-count = { $here } van { $total } ingecheckt
checkin-refresh = Vernieuwen
checkin-not-enrolled = Je bent niet ingeschreven voor deze cursus. Daarom kun je niet inchecken.
checkin-not-open = Inchecken kan nog niet. Het kan vanaf een kwartier voor de start.
checkin-closed = Inchecken kan niet meer: de bijeenkomst is voorbij.
checkin-session-cancelled = Deze bijeenkomst is afgelast. Inchecken kan niet.
field-checkin-wrong-code = Deze code klopt niet. Kijk nog eens goed naar de code van je trainer.
field-checkin-throttled = Je hebt te vaak een verkeerde code ingevuld. Probeer het over { $minutes } { $minutes ->
    [one] minuut
   *[other] minuten
} opnieuw.
field-checkin-not-enrolled = Je bent niet ingeschreven voor deze cursus (of je staat op de wachtlijst). Daarom kun je niet inchecken. Vraag je trainer om hulp.
field-checkin-not-open = Inchecken kan nog niet. Het kan vanaf { $opens }.
field-checkin-closed = Inchecken kan niet meer. Het kon tot { $closes }. Ben je er toch? Zeg het tegen je trainer.
field-checkin-session-cancelled = Deze bijeenkomst is afgelast. Inchecken kan niet.
checkin-from-mine = Ben je bij een bijeenkomst? Laat zien dat je er bent met de code van je trainer:
