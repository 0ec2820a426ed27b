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

## the course overview
attendance-matrix-title = Aanwezigheid per cursus
attendance-matrix-participant = Deelnemer
attendance-matrix-left = uitgeschreven
attendance-matrix-threshold = Wie { $threshold }% of meer van de bijeenkomsten aanwezig was, heeft de cursus afgerond.
attendance-matrix-link = Aanwezigheid van de hele cursus
attendance-cell-not-expected = nog niet ingeschreven
attendance-rate = Aanwezig
attendance-rate-rule = Het deel van de bijeenkomsten waar iemand was (ook als die te laat kwam). We tellen alleen bijeenkomsten die al geweest zijn, vanaf het moment van inschrijven.
attendance-commitment-rate = Betrokken
attendance-commitment-rate-rule = Hetzelfde, maar een afmelding vooraf telt ook mee.
attendance-completed = Afgerond
attendance-completed-yes = Ja
attendance-completed-no = Nog niet
attendance-absence-warning-intro = Deze deelnemers waren twee keer achter elkaar afwezig zonder afmelding. Misschien wil je contact met ze opnemen:
attendance-absence-warning-tag = 2× afwezig
