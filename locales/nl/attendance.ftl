## Aanwezigheid

attendance-forbidden = Alleen de trainers van deze cursus en coördinatoren mogen de presentielijst zien en invullen.
attendance-session-cancelled = Deze bijeenkomst is afgelast. Je kunt geen aanwezigheid invullen.
attendance-window-closed = Je kunt de aanwezigheid invullen vanaf een half uur voor de start tot 14 dagen na de bijeenkomst. Vraag een coördinator als het later moet.
attendance-not-started = De bijeenkomst is nog niet begonnen. Daarna kun je iedereen zonder markering op afwezig zetten.
field-not-enrolled = Deze persoon is niet ingeschreven (staat op de wachtlijst of heeft afgezegd).
field-unknown = Deze persoon hoort niet bij deze cursus.
field-duplicate = Deze persoon staat twee keer in de lijst.
attendance-title = Aanwezigheid
attendance-saved = De aanwezigheid is opgeslagen.
attendance-counts = Aantallen
attendance-status-present = Aanwezig
attendance-status-late = Te laat
attendance-status-excused = Afgemeld
attendance-status-absent = Afwezig
attendance-not-marked = Nog niet ingevuld
attendance-not-expected = was nog niet ingeschreven
attendance-save = Aanwezigheid opslaan
attendance-absent-unmarked = Zet iedereen zonder markering op afwezig
trainings-attendance = Aanwezigheid invullen
