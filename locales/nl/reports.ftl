## reports: exports for partners and funders
reports-forbidden = Alleen coördinatoren kunnen rapportages maken.
field-before-from = De einddatum moet op of na de begindatum liggen.
field-boolean = Kies true of false.

report-col-session-id = Bijeenkomst-id
report-col-course-id = Cursus-id
report-col-course-title = Cursus
report-col-theme = Thema
report-col-session-date = Datum
report-col-start = Begin
report-col-end = Einde
report-col-hours = Uren
report-col-place = Plek
report-col-wijk = Wijk of dorp
report-col-trainers = Trainers
report-col-participant-id = Deelnemer-id
report-col-name = Naam
report-col-email = E-mailadres
report-col-participant-wijk = Wijk of dorp van deelnemer
report-col-organisation = Organisatie
report-col-participant-kind = Soort deelnemer
report-col-enrolment-status = Inschrijving
report-col-expected = Verwacht
report-col-mark = Aanwezigheid
