## Aanwezigheid

attendance-forbidden = Alleen de trainers van deze cursus en coördinatoren mogen de presentielijst zien en invullen.
attendance-session-cancelled = Deze bijeenkomst is afgelast. Je kunt geen aanwezigheid invullen.
attendance-window-closed = Je kunt de aanwezigheid invullen vanaf een half uur voor de start tot 14 dagen na de bijeenkomst. Vraag een coördinator als het later moet.
attendance-not-started = De bijeenkomst is nog niet begonnen. Daarna kun je iedereen zonder markering op afwezig zetten.
field-not-enrolled = Deze persoon is niet ingeschreven (staat op de wachtlijst of heeft afgezegd).
field-unknown = Deze persoon hoort niet bij deze cursus.
field-duplicate = Deze persoon staat twee keer in de lijst.
