## Attendance

attendance-forbidden = Only the trainers of this course and coordinators may see and fill in the roster.
attendance-session-cancelled = This session is cancelled. You cannot mark attendance.
attendance-window-closed = You can mark attendance from half an hour before the start until 14 days after the session. Ask a coordinator if it must be later.
attendance-not-started = The session has not started yet. After the start you can mark everyone without a mark as absent.
field-not-enrolled = This person is not enrolled (they are on the waiting list or cancelled).
field-unknown = This person is not part of this course.
field-duplicate = This person is in the list twice.
attendance-title = Attendance
attendance-saved = The attendance is saved.
attendance-counts = Counts
attendance-status-present = Present
attendance-status-late = Late
attendance-status-excused = Excused
attendance-status-absent = Absent
attendance-not-marked = Not marked yet
attendance-not-expected = not yet enrolled then
attendance-save = Save attendance
attendance-absent-unmarked = Mark everyone not yet marked as absent
trainings-attendance = Take attendance

## the course overview
attendance-matrix-title = Attendance per course
attendance-matrix-participant = Participant
attendance-matrix-left = withdrew
attendance-matrix-threshold = Whoever attended { $threshold }% or more of the sessions has completed the course.
attendance-matrix-link = Attendance of the whole course
attendance-cell-not-expected = not yet enrolled
attendance-rate = Attended
attendance-rate-rule = The share of sessions someone came to (also when late). Only sessions already held count, from the moment they enrolled.
attendance-commitment-rate = Committed
attendance-commitment-rate-rule = The same, but an apology sent in advance counts as well.
attendance-completed = Completed
attendance-completed-yes = Yes
attendance-completed-no = Not yet
attendance-absence-warning-intro = These participants were absent twice in a row without sending apologies. You may want to contact them:
attendance-absence-warning-tag = 2× absent
