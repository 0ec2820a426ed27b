## reports: exports for partners and funders
reports-forbidden = Only coordinators can make reports.
field-before-from = The end date must be on or after the start date.
field-boolean = Choose true or false.

report-col-session-id = Session id
report-col-course-id = Course id
report-col-course-title = Course
report-col-theme = Theme
report-col-session-date = Date
report-col-start = Start
report-col-end = End
report-col-hours = Hours
report-col-place = Place
report-col-wijk = Neighbourhood or village
report-col-trainers = Trainers
report-col-participant-id = Participant id
report-col-name = Name
report-col-email = Email address
report-col-participant-wijk = Participant's neighbourhood or village
report-col-organisation = Organisation
report-col-participant-kind = Kind of participant
report-col-enrolment-status = Enrolment
report-col-expected = Expected
report-col-mark = Attendance
